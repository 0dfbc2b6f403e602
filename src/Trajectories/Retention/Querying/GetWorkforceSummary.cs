using Microsoft.AspNetCore.Mvc;
using System.Globalization;
using Microsoft.Extensions.Options;
using Trajectories.Careers;
using Trajectories.Retention.Facts;
using Wolverine.Http;

namespace Trajectories.Retention.Querying;

public sealed record WageView(
    string JobType, int? Jobs, bool Suppressed, decimal? MedianHourlyWage, double? FullTimeShare);

public sealed record MonthView(string Month, DateOnly On, IReadOnlyDictionary<string, int?> Headcount);

public sealed record WorkforceSummary(
    DateOnly AsOf, DateOnly From, int MinCellSize,
    IReadOnlyDictionary<string, int?> Headcount,
    int? Separations, IReadOnlyDictionary<string, int?> SeparationsByReason,
    double? AveragePeerHeadcount, double? TurnoverRate,
    IReadOnlyDictionary<string, int?> Tiers,
    IReadOnlyList<WageView> Wages,
    IReadOnlyList<MonthView> Monthly)
{
    /// <summary>How the figures were protected (cell key for analysts; suppression or exact otherwise).</summary>
    public Disclosure.Protection? Protection { get; init; }
}

/// <summary>
/// The workforce on a date and over a period (from, default one year before asOf, to asOf): headcount by status,
/// peer-job separations and turnover (separations / average number of people in peer work at the month ends of
/// the period), separations by reason, tiers of peer jobs held, median wage and full-time share by job type, and
/// headcount by status month by month.
/// </summary>
public static class GetWorkforceSummaryEndpoint
{
    public const int MaxYears = 50;

    [WolverineGet("/api/workforce/summary",
        Summary = "Headcount, hires, separations and turnover by month"), Access(Roles.Analyst), Tags("Retention")]
    [ProducesResponseType<WorkforceSummary>(200)]
    [QueryString(Measure.FirstPeerJob, "from", Without = ["groupBy"])]
    public static async Task<IResult> Get(
        HttpRequest request, string? from, RetentionFactsCache cache, IOptions<PrivacyOptions> privacy,
        Disclosure.RecordKeys keys, TimeProvider clock, CancellationToken ct)
    {
        var (query, rejection) = RetentionQuery.Parse(
            Measure.FirstPeerJob, request.WithoutQuery("from"), clock.Today(), Caller.From(request.HttpContext.User));
        if (rejection is not null) return rejection.ToProblem();
        var start = query!.AsOf.AddYears(-1);
        if (from is not null && !DateOnly.TryParseExact(
                from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out start))
            return Rejection.BadRequest("invalid-date", "'from' is a date as YYYY-MM-DD.", "from").ToProblem();
        if (start >= query.AsOf)
            return Rejection.BadRequest("empty-period", "'from' must be before 'asOf'.", "from").ToProblem();
        // One row per month: a period of decades would be thousands of rows nobody asked for.
        if (start < query.AsOf.AddYears(-MaxYears))
            return Rejection.BadRequest("period-too-long",
                $"The period from 'from' to 'asOf' is at most {MaxYears} years.", "from").ToProblem();
        if (query.GroupBy is not null)
            return Rejection.BadRequest("invalid-group", "The workforce summary takes filters, not groupBy.", "groupBy")
                .ToProblem();

        var view = await cache.ViewAsync(request.HttpContext, ct);
        query = view.Resolve(query);
        var facts = QueriedFacts.From(view, query);
        var minCellSize = privacy.Value.MinCellSizeFor(request.HttpContext);
        WorkforceSummary summary;
        if (PrivacyOptions.Perturbs(request.HttpContext))
        {
            await keys.ReadyAsync(ct);
            // The period is whole years back from the as-of month end (ADR 14): with any start month allowed, windows
            // that differ by one month differ exactly when someone left in it, and thousands of windows told which.
            var years = Math.Clamp((int)Math.Round((query.AsOf.DayNumber - start.DayNumber) / 365.25), 1, MaxYears);
            var monthStart = RetentionQuery.MonthEndOnOrBefore(query.AsOf.AddYears(-years));
            summary = ProtectedWorkforce.Build(query, monthStart, facts,
                Disclosure.PerturbationTable.For(minCellSize, view), keys.Of,
                request.HttpContext.RequestServices.GetRequiredService<CareerLadder>());
        }
        else
            summary = Build(query, start, facts, new Suppression(minCellSize)) with
            {
                Protection = Disclosure.Protection.Suppression(minCellSize),
            };
        if (!query.Csv) return Results.Ok(summary);
        return RetentionCsv.Table("workforce", ["section", "key", "value"], Rows(summary), summary.Protection);
    }

    public static WorkforceSummary Build(
        RetentionQuery query, DateOnly from, IEnumerable<RetentionFacts> facts, Suppression suppression)
    {
        var asOf = query.AsOf;
        var people = facts.Where(f => f.CertifiedOn <= asOf && query.Admits(f)).ToList();

        var separations = people.SelectMany(f => f.Jobs)
            .Where(j => j.JobType == "peer" && j.End is { } e && e > from && e <= asOf).ToList();
        var monthEnds = MonthEnds(from, asOf);
        var (byMonth, peerHeadcounts) = Monthly(people, monthEnds);
        var average = peerHeadcounts.Length == 0 ? 0 : peerHeadcounts.Average();

        var heldJobs = people.SelectMany(f => f.Jobs).Where(j => j.HeldOn(asOf)).ToList();
        var tiers = heldJobs.Where(j => j.JobType == "peer")
            .GroupBy(j => RetentionQuery.TierOrNone(j.TermsOn(asOf).Tier))
            .ToDictionary(g => g.Key, g => g.Count());

        var reasons = Vocabulary.SeparationReasons.ToDictionary(r => r, r => separations.Count(j => j.Reason == r));
        return new WorkforceSummary(asOf, from, suppression.MinCellSize,
            Hide(byMonth[^1], suppression),
            suppression.Show(separations.Count),
            Hide(reasons, suppression),
            Math.Round(average, 2),
            average > 0 && !suppression.Hides(separations.Count) ? Math.Round(separations.Count / average, 4) : null,
            Hide(tiers, suppression),
            Vocabulary.JobTypes.Select(t => Wages(
                t, heldJobs.Where(j => j.JobType == t).Select(j => j.TermsOn(asOf)).ToList(), suppression)).ToList(),
            monthEnds.Select((d, m) => new MonthView(
                d.ToString("yyyy-MM", CultureInfo.InvariantCulture), d, Hide(byMonth[m], suppression))).ToList());
    }

    /// <summary>
    /// Headcount by status and people in peer work at each date, in one pass over the people (each person's
    /// status changes are walked once alongside the dates): at 100,000 people, touching each person once per date
    /// cost most of the query.
    /// </summary>
    private static (Dictionary<string, int>[] ByStatus, int[] InPeerWork) Monthly(
        List<RetentionFacts> people, List<DateOnly> dates)
    {
        var statuses = Vocabulary.Status.All;
        var width = statuses.Length + 1;
        // Counter layout: per date, one slot per status and a last slot for "holds a peer job".
        var counts = Tally.Count(people, dates.Count * width, (f, local) =>
        {
            var next = 0;
            var status = Vocabulary.Status.SeekingPeerWork;
            for (var m = 0; m < dates.Count; m++)
            {
                var date = dates[m];
                if (f.CertifiedOn > date) continue;
                while (next < f.Statuses.Count && f.Statuses[next].On <= date) status = f.Statuses[next++].Status;
                local[m * width + Array.IndexOf(statuses, status)]++;
                foreach (var job in f.Jobs)
                    if (job.JobType == "peer" && job.HeldOn(date)) { local[m * width + statuses.Length]++; break; }
            }
        });
        var byStatus = Enumerable.Range(0, dates.Count)
            .Select(m => statuses.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => counts[m * width + x.i]))
            .ToArray();
        return (byStatus, Enumerable.Range(0, dates.Count).Select(m => counts[m * width + statuses.Length]).ToArray());
    }

    /// <summary>A row of counts with a shown total: small cells hidden, with complementary suppression.</summary>
    private static IReadOnlyDictionary<string, int?> Hide(Dictionary<string, int> counts, Suppression suppression)
    {
        var keys = counts.Keys.ToList();
        var hide = suppression.HideInRow(keys.Select(k => counts[k]).ToList());
        return keys.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => hide[x.i] ? null : (int?)counts[x.k]);
    }

    private static WageView Wages(string jobType, List<JobTerms> terms, Suppression suppression)
    {
        if (suppression.Hides(terms.Count)) return new WageView(jobType, null, true, null, null);
        if (terms.Count == 0) return new WageView(jobType, 0, false, null, null);
        var wages = terms.Select(t => t.HourlyWage).Order().ToList();
        var median = wages.Count % 2 == 1
            ? wages[wages.Count / 2]
            : (wages[wages.Count / 2 - 1] + wages[wages.Count / 2]) / 2;
        return new WageView(
            jobType, terms.Count, false, median, Math.Round((double)terms.Count(t => t.FullTime) / terms.Count, 4));
    }

    /// <summary>The last day of each month whose end falls in (from, asOf], and asOf itself last.</summary>
    public static List<DateOnly> MonthEnds(DateOnly from, DateOnly asOf)
    {
        var ends = new List<DateOnly>();
        var d = new DateOnly(from.Year, from.Month, 1).AddMonths(1).AddDays(-1);
        for (; d < asOf; d = new DateOnly(d.Year, d.Month, 1).AddMonths(2).AddDays(-1))
            if (d > from) ends.Add(d);
        ends.Add(asOf);
        return ends;
    }

    private static IEnumerable<IReadOnlyList<object?>> Rows(WorkforceSummary s)
    {
        foreach (var (k, v) in s.Headcount) yield return ["headcount", k, v];
        yield return ["separations", "total", s.Separations];
        foreach (var (k, v) in s.SeparationsByReason) yield return ["separationsByReason", k, v];
        yield return ["averagePeerHeadcount", "", s.AveragePeerHeadcount];
        yield return ["turnoverRate", "", s.TurnoverRate];
        foreach (var (k, v) in s.Tiers) yield return ["tiers", k, v];
        foreach (var w in s.Wages)
        {
            yield return ["jobs", w.JobType, w.Jobs];
            yield return ["medianHourlyWage", w.JobType, w.MedianHourlyWage];
            yield return ["fullTimeShare", w.JobType, w.FullTimeShare];
        }
        foreach (var m in s.Monthly)
        foreach (var (k, v) in m.Headcount)
            yield return ["monthlyHeadcount:" + m.Month, k, v];
    }
}

internal static class RequestExtensions
{
    /// <summary>
    /// The request as the shared query parser should see it: without parameters only this endpoint takes.
    /// </summary>
    public static HttpRequest WithoutQuery(this HttpRequest request, string name)
    {
        if (!request.Query.ContainsKey(name)) return request;
        var kept = request.Query.Where(kv => !string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        request.Query = new QueryCollection(kept);
        return request;
    }
}

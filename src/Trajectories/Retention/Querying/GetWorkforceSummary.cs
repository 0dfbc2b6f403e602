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
        var table = await cache.TableAsync(view, ct);
        var minCellSize = privacy.Value.MinCellSizeFor(request.HttpContext);
        WorkforceSummary summary;
        if (PrivacyOptions.Perturbs(request.HttpContext))
        {
            await keys.ReadyAsync(ct);
            // The period is whole years back from the as-of month end (ADR 14): with any start month allowed, windows
            // that differ by one month differ exactly when someone left in it, and thousands of windows told which.
            var years = Math.Clamp((int)Math.Round((query.AsOf.DayNumber - start.DayNumber) / 365.25), 1, MaxYears);
            var monthStart = RetentionQuery.MonthEndOnOrBefore(query.AsOf.AddYears(-years));
            summary = ProtectedWorkforce.Build(query, monthStart, table,
                Disclosure.PerturbationTable.For(minCellSize, view),
                request.HttpContext.RequestServices.GetRequiredService<CareerLadder>());
        }
        else
            summary = Build(query, start, table, new Suppression(minCellSize)) with
            {
                Protection = Disclosure.Protection.Suppression(minCellSize),
            };
        if (!query.Csv) return Results.Ok(summary);
        return RetentionCsv.Table("workforce", ["section", "key", "value"], Rows(summary), summary.Protection);
    }

    public static WorkforceSummary Build(
        RetentionQuery query, DateOnly from, FactsTable table, Suppression suppression)
    {
        var asOf = query.AsOf;
        var monthEnds = MonthEnds(from, asOf);
        var counts = WorkforceCounts.Count(table, table.Select(query), monthEnds, from, asOf);
        var statuses = Vocabulary.Status.All;
        Dictionary<string, int> ByStatus(int m) =>
            statuses.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => counts.Status(m, x.i).Count);
        var peerHeadcounts = Enumerable.Range(0, monthEnds.Count).Select(m => counts.InPeerWork(m).Count).ToArray();
        var average = peerHeadcounts.Length == 0 ? 0 : peerHeadcounts.Average();
        var separations = counts.Separations.Count;

        // The terms in force on the as-of date of each job held then (tier, wage, hours), from the columns.
        var held = counts.HeldJobs.Select(j => (Type: table.JobType[j], Terms: table.TermsOn(j, asOf.DayNumber)))
            .ToList();
        var tiers = new Dictionary<string, int>();
        foreach (var (type, terms) in held)
            if (type == FactsTable.Peer)
                tiers[RetentionQuery.TierOrNone(table.TermTier[terms])] =
                    tiers.GetValueOrDefault(RetentionQuery.TierOrNone(table.TermTier[terms])) + 1;

        var reasons = Vocabulary.SeparationReasons.Select((r, i) => (r, i))
            .ToDictionary(x => x.r, x => counts.Reason(x.i).Count);
        return new WorkforceSummary(asOf, from, suppression.MinCellSize,
            Hide(ByStatus(monthEnds.Count - 1), suppression),
            suppression.Show(separations),
            Hide(reasons, suppression),
            Math.Round(average, 2),
            average > 0 && !suppression.Hides(separations) ? Math.Round(separations / average, 4) : null,
            Hide(tiers, suppression),
            Vocabulary.JobTypes.Select((t, code) => Wages(t,
                held.Where(h => h.Type == code).Select(h => (table.TermWage[h.Terms], table.TermFullTime[h.Terms]))
                    .ToList(), suppression)).ToList(),
            monthEnds.Select((d, m) => new MonthView(
                d.ToString("yyyy-MM", CultureInfo.InvariantCulture), d, Hide(ByStatus(m), suppression))).ToList());
    }

    /// <summary>A row of counts with a shown total: small cells hidden, with complementary suppression.</summary>
    private static IReadOnlyDictionary<string, int?> Hide(Dictionary<string, int> counts, Suppression suppression)
    {
        var keys = counts.Keys.ToList();
        var hide = suppression.HideInRow(keys.Select(k => counts[k]).ToList());
        return keys.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => hide[x.i] ? null : (int?)counts[x.k]);
    }

    private static WageView Wages(
        string jobType, List<(decimal HourlyWage, bool FullTime)> terms, Suppression suppression)
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

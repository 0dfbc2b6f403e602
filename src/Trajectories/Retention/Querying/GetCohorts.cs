using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Trajectories.Careers;
using Trajectories.Retention.Facts;
using Wolverine.Http;

namespace Trajectories.Retention.Querying;

public sealed record CohortCell(
    int Months, DateOnly On, int? Observed, bool Suppressed, IReadOnlyDictionary<string, int?> Counts,
    IReadOnlyDictionary<string, double?> Shares);

public sealed record CohortRow(string Cohort, int? N, bool Suppressed, IReadOnlyList<CohortCell> Cells);

public sealed record CohortGrid(
    DateOnly AsOf, int MinCellSize, IReadOnlyList<string> Categories, IReadOnlyList<CohortRow> Cohorts)
{
    /// <summary>How the figures were protected (cell key for analysts; suppression or exact otherwise).</summary>
    public Disclosure.Protection? Protection { get; init; }
}

/// <summary>
/// For each certification cohort, where its people stand 6, 12, 24 and 36 months after their own certification:
/// in peer work, in other work only, not employed (including never employed), paused, lost to follow-up. Only people
/// certified at least that long before the as-of date are observed at a mark.
/// </summary>
public static class GetCohortsEndpoint
{
    public static readonly string[] Categories = ["peer", "other", "notEmployed", "paused", "lost"];

    public static string Category(string status) => status switch
    {
        Vocabulary.Status.EmployedPeer => "peer",
        Vocabulary.Status.EmployedOther => "other",
        Vocabulary.Status.Paused => "paused",
        Vocabulary.Status.LostToFollowUp => "lost",
        _ => "notEmployed",
    };

    [WolverineGet("/api/retention/cohorts",
        Summary = "Where each certification cohort is 6, 12, 24 and 36 months on")]
    [Access(Roles.Analyst), Tags("Retention")]
    [ProducesResponseType<CohortGrid>(200)]
    [QueryString(Measure.FirstPeerJob)]
    public static async Task<IResult> Get(
        HttpRequest request, RetentionFactsCache cache, IOptions<PrivacyOptions> privacy, Disclosure.RecordKeys keys,
        TimeProvider clock, CancellationToken ct)
    {
        var (query, rejection) = RetentionQuery.Parse(
            Measure.FirstPeerJob, request, clock.Today(), Caller.From(request.HttpContext.User));
        if (rejection is not null) return rejection.ToProblem();
        var view = await cache.ViewAsync(request.HttpContext, ct);
        query = view.Resolve(query!);
        var facts = QueriedFacts.From(view, query!);
        var minCellSize = privacy.Value.MinCellSizeFor(request.HttpContext);
        CohortGrid grid;
        if (PrivacyOptions.Perturbs(request.HttpContext))
        {
            await keys.ReadyAsync(ct);
            var years = query!.Filters.TryGetValue("cohort", out var c) && int.TryParse(c, out var year)
                ? [year]
                // Every year of everyone in scope, at any date (up to the as-of year): a year appearing with its first
                // member would date that member's certification.
                : view.All.Where(f => f.Cohort <= query.AsOf.Year
                        && (query.Scope is null || query.Scope.Contains(f.State)))
                    .Select(f => f.Cohort).Distinct().ToList();
            grid = ProtectedCohorts.Build(
                query, facts, Disclosure.PerturbationTable.For(minCellSize, view), keys.Of, years);
        }
        else
            grid = Build(query!, facts, new Suppression(minCellSize)) with
            {
                Protection = Disclosure.Protection.Suppression(minCellSize),
            };
        if (!query!.Csv) return Results.Ok(grid);
        return RetentionCsv.Table("cohorts",
            ["cohort", "months", "on", "observed", "suppressed", .. Categories, .. Categories.Select(c => c + "Share")],
            grid.Cohorts.SelectMany(r => r.Cells.Select(c => (IReadOnlyList<object?>)
                [r.Cohort, c.Months, c.On, c.Observed, c.Suppressed,
                    .. Categories.Select(k => (object?)c.Counts[k]),
                    .. Categories.Select(k => (object?)c.Shares[k])])), grid.Protection);
    }

    public static CohortGrid Build(RetentionQuery query, IEnumerable<RetentionFacts> facts, Suppression suppression)
    {
        var people = facts.Where(query.Admits);
        var rows = people.GroupBy(f => f.Cohort).OrderBy(g => g.Key).Select(g =>
        {
            var members = g.ToList();
            var marks = Marks(members, query.AsOf);
            var cells = SurvivalReports.Months.Select((m, i) => Cell(m, members, marks[i], suppression)).ToList();
            var hidden = suppression.Hides(members.Count);
            return new CohortRow(g.Key.ToString(), hidden ? null : members.Count, hidden,
                hidden ? cells.Select(Hidden).ToList() : cells);
        }).ToList();
        return new CohortGrid(query.AsOf, suppression.MinCellSize, Categories, rows);
    }

    /// <summary>
    /// Per month mark, the count of each category among the people observed there. A person's mark is their own
    /// certification date plus the months, observed only if on or before asOf and on or after the day follow-up
    /// began (observationStart); each person is visited once.
    /// </summary>
    private static int[][] Marks(List<RetentionFacts> members, DateOnly asOf)
    {
        var width = Categories.Length;
        var flat = Tally.Count(members, SurvivalReports.Months.Length * width, (f, local) =>
        {
            for (var i = 0; i < SurvivalReports.Months.Length; i++)
            {
                var mark = f.CertifiedOn.AddMonths(SurvivalReports.Months[i]);
                if (mark > asOf) break;
                // Before follow-up began the person's status is unknown, not "seeking peer work": not observed.
                if (f.ObservationStart is { } start && mark < start) continue;
                local[i * width + Array.IndexOf(Categories, Category(f.StatusOn(mark)))]++;
            }
        });
        return SurvivalReports.Months.Select((_, i) => flat[(i * width)..((i + 1) * width)]).ToArray();
    }

    private static CohortCell Cell(int months, List<RetentionFacts> members, int[] counts, Suppression suppression)
    {
        var observed = counts.Sum();
        var on = members.Count > 0 ? new DateOnly(members[0].Cohort, 12, 31).AddMonths(months) : default;
        if (observed == 0 || suppression.Hides(observed))
            return Hidden(new CohortCell(months, on, observed == 0 ? 0 : null, observed > 0,
                Categories.ToDictionary(c => c, _ => (int?)null), Categories.ToDictionary(c => c, _ => (double?)null)));
        var hide = suppression.HideInRow(counts);
        return new CohortCell(months, on, observed, false,
            Categories.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => hide[x.i] ? null : (int?)counts[x.i]),
            Categories.Select((c, i) => (c, i))
                .ToDictionary(x => x.c, x => hide[x.i] ? null : (double?)counts[x.i] / observed));
    }

    private static CohortCell Hidden(CohortCell cell) => cell with
    {
        Suppressed = cell.Observed != 0,
        Observed = cell.Observed == 0 ? 0 : null,
        Counts = Categories.ToDictionary(c => c, _ => (int?)null),
        Shares = Categories.ToDictionary(c => c, _ => (double?)null),
    };
}

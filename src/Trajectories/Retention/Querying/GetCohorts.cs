using System.Runtime.CompilerServices;
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
        var table = await cache.TableAsync(view, ct);
        var minCellSize = privacy.Value.MinCellSizeFor(request.HttpContext);
        CohortGrid grid;
        if (PrivacyOptions.Perturbs(request.HttpContext))
        {
            await keys.ReadyAsync(ct);
            var years = query!.Filters.TryGetValue("cohort", out var c) && int.TryParse(c, out var year)
                ? [year]
                // Every year of everyone in scope, at any date (up to the as-of year): a year appearing with its first
                // member would date that member's certification.
                : table.CohortYears(query);
            grid = ProtectedCohorts.Build(query, table, Disclosure.PerturbationTable.For(minCellSize, view), years);
        }
        else
            grid = Build(query!, table, new Suppression(minCellSize)) with
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

    /// <summary>Each status's category (index in <see cref="Categories"/>), by its index in the vocabulary.</summary>
    public static readonly int[] CategoryOfStatus =
        Vocabulary.Status.All.Select(s => Array.IndexOf(Categories, Category(s))).ToArray();

    public static CohortGrid Build(RetentionQuery query, IReadOnlyList<RetentionFacts> facts, Suppression suppression)
        => Build(query, new FactsTable(facts), suppression);

    public static CohortGrid Build(RetentionQuery query, FactsTable table, Suppression suppression)
    {
        var rows = table.Select(query).GroupBy(i => table.Cohort[i]).OrderBy(g => g.Key).Select(g =>
        {
            var members = g.ToArray();
            var marks = Marks(table, members, query.AsOf);
            var cells = SurvivalReports.Months
                .Select((m, i) => Cell(m, g.Key, marks[i], suppression)).ToList();
            var hidden = suppression.Hides(members.Length);
            return new CohortRow(g.Key.ToString(), hidden ? null : members.Length, hidden,
                hidden ? cells.Select(Hidden).ToList() : cells);
        }).ToList();
        return new CohortGrid(query.AsOf, suppression.MinCellSize, Categories, rows);
    }

    /// <summary>
    /// Per month mark, the count of each category among the people observed there. A person's mark is their own
    /// certification date plus the months, observed only if on or before asOf and on or after the day follow-up
    /// began (observationStart); each person is visited once.
    /// </summary>
    private static int[][] Marks(FactsTable table, int[] members, DateOnly asOf)
    {
        var width = Categories.Length;
        var marks = FactsTable.MarkMonths.Length;
        var last = asOf.DayNumber;
        var flat = Tally.Count(members, marks * width,
            [MethodImpl(MethodImplOptions.AggressiveOptimization)] (i, local) =>
        {
            for (var k = 0; k < marks; k++)
            {
                var day = table.MarkDay[i * marks + k];
                if (day > last) break;
                // Before follow-up began the person's status is unknown, not "seeking peer work": not observed.
                if (day < table.ObservedFrom[i]) continue;
                local[k * width + CategoryOfStatus[table.MarkStatus[i * marks + k]]]++;
            }
        });
        return Enumerable.Range(0, marks).Select(k => flat[(k * width)..((k + 1) * width)]).ToArray();
    }

    private static CohortCell Cell(int months, int cohort, int[] counts, Suppression suppression)
    {
        var observed = counts.Sum();
        var on = new DateOnly(cohort, 12, 31).AddMonths(months);
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

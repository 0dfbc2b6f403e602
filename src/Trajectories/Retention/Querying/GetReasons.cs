using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Trajectories.Survival;
using Wolverine.Http;
using Trajectories.Careers;
using Trajectories.Retention.Disclosure;

namespace Trajectories.Retention.Querying;

/// <summary>
/// The curves at one time. For analysts, a reason whose protected number of leavers is hidden has its incidence hidden
/// too (null): its steps would give back that count, and with the as-of date moved a month, whose reason it was.
/// </summary>
public sealed record IncidenceView(
    double Day, int AtRisk, double Survival, IReadOnlyDictionary<string, double?> Incidence);

public sealed record ReasonsGroup(
    string Key, int? N, bool Suppressed, IReadOnlyDictionary<string, int?> Leavers, int? StillIn,
    IReadOnlyList<IncidenceView> Points, IReadOnlyDictionary<string, IncidenceView?> At);

public sealed record ReasonsReport(
    string Measure, DateOnly AsOf, string? GroupBy, int MinCellSize, IReadOnlyList<string> Reasons,
    IReadOnlyList<ReasonsGroup> Groups)
{
    /// <summary>How the figures were protected (cell key for analysts; suppression or exact otherwise).</summary>
    public Protection? Protection { get; init; }
}

/// <summary>
/// Why people leave peer work: the cumulative incidence of each separation reason with the others as competing
/// risks (Aalen-Johansen); at every day the incidences and the share still in peer work sum to one.
/// </summary>
public static class GetReasonsEndpoint
{
    [WolverineGet("/api/retention/reasons",
        Summary = "Why people leave peer work, over time (Aalen-Johansen)"), Access(Roles.Analyst), Tags("Retention")]
    [ProducesResponseType<ReasonsReport>(200)]
    [QueryString(Measure.PeerWork)]
    public static async Task<IResult> Get(
        HttpRequest request, RetentionFactsCache cache, IOptions<PrivacyOptions> privacy, TimeProvider clock,
        CancellationToken ct)
    {
        var (query, rejection) = RetentionQuery.Parse(
            Measure.PeerWork, request, clock.Today(), Caller.From(request.HttpContext.User));
        if (rejection is not null) return rejection.ToProblem();
        var view = await cache.ViewAsync(request.HttpContext, ct);
        query = view.Resolve(query!);
        var spells = await cache.SpellTableAsync(Measure.PeerWork, query!.AsOf, view, ct);
        var minCellSize = privacy.Value.MinCellSizeFor(request.HttpContext);
        var report = PrivacyOptions.Perturbs(request.HttpContext)
            ? BuildProtected(query!, spells, PerturbationTable.For(minCellSize, view),
                request.HttpContext.RequestServices.GetRequiredService<CareerLadder>(),
                await cache.TableAsync(view, ct))
            : Build(query!, spells, new Suppression(minCellSize)) with
            {
                Protection = Protection.Suppression(minCellSize),
            };
        if (!query!.Csv) return Results.Ok(report);
        return RetentionCsv.Table("reasons", ["group", "suppressed", "day", "atRisk", "stillIn", .. report.Reasons],
            report.Groups.SelectMany(g => g.Suppressed
                ? [(IReadOnlyList<object?>)[
                    g.Key, true, null, null, null, .. report.Reasons.Select(_ => (object?)null)]]
                : g.Points.Select(p => (IReadOnlyList<object?>)[
                    g.Key, false, p.Day, p.AtRisk, p.Survival,
                    .. report.Reasons.Select(r => (object?)p.Incidence.GetValueOrDefault(r))])),
            report.Protection);
    }

    public static ReasonsReport Build(RetentionQuery query, IEnumerable<Spell> spells, Suppression suppression) =>
        Build(query, new SpellTable([.. spells]), suppression);

    public static ReasonsReport Build(RetentionQuery query, SpellTable spells, Suppression suppression)
    {
        var groups = spells.Groups(query);
        // The reasons anyone admitted left for, in ordinal order (from the spells' cause codes).
        var present = new bool[spells.CauseNames.Count];
        foreach (var (_, members) in groups)
        foreach (var i in members)
            if (spells.Cause[i] >= 0) present[spells.Cause[i]] = true;
        var reasons = spells.CauseNames.Where((_, c) => present[c]).Order(StringComparer.Ordinal).ToList();
        var hidden = SurvivalReports.SuppressedGroups(groups.Select(g => g.Members.Length).ToList(), suppression);
        var result = groups.Select((g, i) => hidden[i]
            ? new ReasonsGroup(g.Key, null, true, reasons.ToDictionary(r => r, _ => (int?)null), null, [],
                SurvivalReports.Months.ToDictionary(m => m.ToString(), _ => (IncidenceView?)null))
            : Group(g.Key, spells, g.Members, reasons, suppression)).ToList();
        return new ReasonsReport("peer-work", query.AsOf, query.GroupBy, suppression.MinCellSize, reasons, result);
    }

    /// <summary>
    /// For analysts (ADR 14): each group's incidences from its protected monthly table by cause
    /// (<see cref="MonthlyTable.BuildByCause"/>), leavers by reason and those still in as protected counts.
    /// </summary>
    public static ReasonsReport BuildProtected(RetentionQuery query, SpellTable spells,
        PerturbationTable table, CareerLadder ladder, Facts.FactsTable everyone)
    {
        var members = spells.Groups(query).ToDictionary(g => g.Key, g => g.Members);
        var listable = SurvivalReports.Listable(query, ladder);
        var groups = GroupKeys.For(query, everyone, ladder, listable)
            .Select(key => (Key: key,
                Spells: listable is null || listable(key) ? members.GetValueOrDefault(key) ?? [] : []))
            .ToList();
        // Every reason of the vocabulary, members or not: the reasons present told which ones a group's people had.
        var reasons = Vocabulary.SeparationReasons.ToList();
        var result = new List<ReasonsGroup>();
        foreach (var (key, group) in groups)
        {
            var (n, rows, leavers, stillIn) = MonthlyTable.BuildByCause(spells, group, reasons, table);
            if (table.Show(n) is null)
            {
                result.Add(new ReasonsGroup(key, null, true, reasons.ToDictionary(r => r, _ => (int?)null), null, [],
                    SurvivalReports.Months.ToDictionary(m => m.ToString(), _ => (IncidenceView?)null)));
                continue;
            }
            var shown = rows.TakeWhile(r => r.AtRisk >= table.MinCellSize).ToList();
            var curve = AalenJohansen.FromCounts(n, reasons, shown);
            IncidenceView View(IncidencePoint p) => new(p.Time, p.AtRisk, p.Survival,
                reasons.ToDictionary(r => r, r => table.Show(leavers[r]) is null ? null : (double?)p.Incidence[r]));
            var lastDay = curve.Points.Count > 0 ? curve.Points[^1].Time : double.NegativeInfinity;
            result.Add(new ReasonsGroup(key, n, false,
                reasons.ToDictionary(r => r, r => table.Show(leavers[r])), table.Show(stillIn),
                curve.Points.Where(p => p.Events.Values.Sum() > 0 || p.Censored > 0).Select(View).ToList(),
                SurvivalReports.Months.ToDictionary(m => m.ToString(), m =>
                {
                    var day = MonthlyTable.Day(m);
                    return day > lastDay || curve.At(day) is not { } p ? null : View(p) with { Day = day };
                })));
        }
        return new ReasonsReport("peer-work", query.AsOf, query.GroupBy, table.MinCellSize, reasons, result)
        {
            Protection = Protection.CellKey(table),
        };
    }

    private static ReasonsGroup Group(
        string key, SpellTable spells, int[] members, List<string> reasons, Suppression suppression)
    {
        var data = spells.ObservationsOf(members);
        var causeOf = members.Select(i => spells.Cause[i]).ToArray();
        var curve = AalenJohansen.Estimate(data, causeOf, spells.CauseNames);
        IncidenceView View(IncidencePoint p) => new(p.Time, p.AtRisk, p.Survival,
            reasons.ToDictionary(r => r, r => (double?)p.Incidence.GetValueOrDefault(r)));
        var points = curve.Points.TakeWhile(p => p.AtRisk >= suppression.MinCellSize).Select(View).ToList();
        var lastDay = points.Count > 0 ? points[^1].Day : double.NegativeInfinity;

        // Leavers by reason and those still in add up to n: complementary suppression over that row.
        // One pass over the group's cause codes (a count per reason, then those still in), not one per reason.
        var position = spells.CauseNames.Select(name => reasons.IndexOf(name)).ToArray();
        var counts = new int[reasons.Count + 1];
        foreach (var c in causeOf)
            if (c < 0) counts[^1]++;
            else if (position[c] >= 0) counts[position[c]]++;
        var hide = suppression.HideInRow(counts);
        return new ReasonsGroup(key, data.Count, false,
            reasons.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => hide[x.i] ? null : (int?)counts[x.i]),
            hide[^1] ? null : counts[^1],
            points,
            SurvivalReports.Months.ToDictionary(m => m.ToString(), m =>
            {
                var day = SurvivalReports.Days(m);
                return day > lastDay || curve.At(day) is not { } p
                    ? null
                    : View(p) with { Day = day, AtRisk = data.Count(o => o.AtRiskAt(day)) };
            }));
    }
}

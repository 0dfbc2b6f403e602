using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Trajectories.Careers;
using Trajectories.Retention.Disclosure;
using Trajectories.Retention.Facts;
using Trajectories.Retention.Querying;
using Trajectories.Survival;
using Wolverine.Http;

namespace Trajectories.Retention.Occupation;

/// <summary>
/// Where people are over time: for each group, the probability of being in peer work, in other work only, not
/// employed, paused or lost to follow-up at each time since certification (multi-state Aalen-Johansen, as R's
/// survfit with Surv(tstart, tstop, state), id and istate), read at 6, 12, 24 and 36 months too, and the moves
/// between every pair of states with their rates per person-year. Query: groupBy and filters of the person (state,
/// cohort, credential, rural, mhpsa), asOf, ci=log (the default here, as R's for multi-state curves) or log-log,
/// format=csv.
/// </summary>
public static class GetOccupationEndpoint
{
    [WolverineGet("/api/trajectories/occupation",
        Summary = "Where people are over time since certification (multi-state Aalen-Johansen)")]
    [Access(Roles.Analyst), Tags("Retention")]
    [ProducesResponseType<OccupationReport>(200)]
    [QueryString(Measure.FirstPeerJob)]
    public static async Task<IResult> Get(
        HttpRequest request, RetentionFactsCache cache, IOptions<PrivacyOptions> privacy, RecordKeys keys,
        CareerLadder ladder, TimeProvider clock, CancellationToken ct)
    {
        // The person-level keys are the first-peer-job measure's. The interval's default differs from the curves'
        // (log, as R's for multi-state curves), so 'ci' is read here.
        var ciText = request.Query["ci"].ToString().Trim();
        if (ciText is not ("" or "log" or "log-log"))
            return Rejection.BadRequest("invalid-value",
                "'ci' is log (the default here, as R's for multi-state curves) or log-log.", "ci").ToProblem();
        var (query, rejection) = RetentionQuery.Parse(
            Measure.FirstPeerJob, request.WithoutQuery("ci"), clock.Today(), Caller.From(request.HttpContext.User));
        if (rejection is not null) return rejection.ToProblem();
        query = query! with { Ci = ciText == "log-log" ? CiTransform.LogLog : CiTransform.Log };
        var view = await cache.ViewAsync(request.HttpContext, ct);
        query = view.Resolve(query!);
        var facts = QueriedFacts.From(view, query).Where(query.Admits).ToList();
        var minCellSize = privacy.Value.MinCellSizeFor(request.HttpContext);
        OccupationReport report;
        if (PrivacyOptions.Perturbs(request.HttpContext))
        {
            await keys.ReadyAsync(ct);
            var paths = facts.Select((f, i) => Paths.For(f, query.AsOf, i, keys.Of(f.Id))).OfType<OccupationPath>()
                .ToList();
            report = ProtectedOccupation.Build(query, paths, PerturbationTable.For(minCellSize, view),
                GroupKeys.For(query, await cache.TableAsync(view, ct), ladder));
        }
        else
        {
            var paths = facts.Select((f, i) => Paths.For(f, query.AsOf, i)).OfType<OccupationPath>().ToList();
            report = Build(query, paths, new Suppression(minCellSize)) with
            {
                Protection = Protection.Suppression(minCellSize),
            };
        }
        return query.Csv ? Csv(report) : Results.Ok(report);
    }

    public static string GroupOf(RetentionFacts f, string? groupBy) =>
        groupBy is null ? "all" : RetentionQuery.PersonValue(f, groupBy) ?? "all";

    /// <summary>
    /// The exact estimate per group (admins; staff never reach it): hidden groups and counts under the minimum cell
    /// size, and curves cut where fewer than that are followed, as ADR 7's suppression does for the other curves.
    /// </summary>
    public static OccupationReport Build(
        RetentionQuery query, IReadOnlyList<OccupationPath> paths, Suppression suppression)
    {
        var groups = paths.GroupBy(p => GroupOf(p.Person, query.GroupBy)).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, Paths: g.ToList())).ToList();
        var hidden = SurvivalReports.SuppressedGroups(groups.Select(g => g.Paths.Count).ToList(), suppression);
        var result = groups.Select((g, i) => hidden[i]
            ? Hidden(g.Key)
            : Group(g.Key, g.Paths, query.Ci, suppression)).ToList();
        return new OccupationReport(query.AsOf, query.GroupBy, suppression.MinCellSize, Paths.States,
            query.Ci == CiTransform.Log ? "log" : "log-log", "infinitesimal-jackknife", "days since certification",
            result);
    }

    public static OccupationGroup Hidden(string key) => new(key, null, true, [],
        SurvivalReports.Months.ToDictionary(m => m.ToString(), _ => (OccupationPointView?)null), []);

    private static OccupationGroup Group(
        string key, List<OccupationPath> paths, CiTransform ci, Suppression suppression)
    {
        var curve = Survival.Occupation.Estimate(Paths.States, paths.SelectMany(p => p.Episodes).ToList(),
            transform: ci);
        var shown = curve.Points.TakeWhile(p => p.AtRisk.Sum() >= suppression.MinCellSize).ToList();
        OccupationPointView View(double day, OccupationPoint p) => new(day, Paths.States.Select((s, j) => (s, j))
            .ToDictionary(x => x.s, x => new StateView(p.Probability[x.j], p.Lower[x.j], p.Upper[x.j],
                suppression.Show(p.AtRisk[x.j]))));
        var lastDay = shown.Count > 0 ? shown[^1].Time : double.NegativeInfinity;
        return new OccupationGroup(key, paths.Count, false,
            shown.Select(p => View(p.Time, p)).ToList(),
            SurvivalReports.Months.ToDictionary(m => m.ToString(), m =>
            {
                var day = SurvivalReports.Days(m);
                return day > lastDay || curve.At(day) is not { } p ? null : View(day, p);
            }),
            Transitions(paths, suppression));
    }

    /// <summary>Moves between each pair of states, and the person-years spent in the state moved from.</summary>
    private static List<TransitionView> Transitions(List<OccupationPath> paths, Suppression suppression)
    {
        var k = Paths.States.Count;
        var moves = new int[k, k];
        var days = new double[k];
        foreach (var e in paths.SelectMany(p => p.Episodes))
        {
            days[e.From] += e.Stop - e.Start;
            if (e.To is { } to) moves[e.From, to]++;
        }
        return Pairs().Select(x =>
        {
            var years = days[x.From] / 365.25;
            var count = suppression.Show(moves[x.From, x.To]);
            return new TransitionView(Paths.States[x.From], Paths.States[x.To], count, years,
                count is { } c && years > 0 ? c / years : null);
        }).ToList();
    }

    public static IEnumerable<(int From, int To)> Pairs() =>
        from a in Enumerable.Range(0, Paths.States.Count)
        from b in Enumerable.Range(0, Paths.States.Count)
        where a != b
        select (a, b);

    /// <summary>
    /// One table for spreadsheets and R: each group's points (part "point"), its readings at the marks ("at 6
    /// months", …), and its moves between states ("move": from state, to state, count, person-years, rate).
    /// </summary>
    private static IResult Csv(OccupationReport report) => RetentionCsv.Table("occupation",
        ["group", "suppressed", "part", "day", "state", "to", "count", "probability", "lower", "upper", "personYears",
            "ratePerPersonYear"],
        report.Groups.SelectMany(g => g.Suppressed
            ? [(IReadOnlyList<object?>)[g.Key, true, null, null, null, null, null, null, null, null, null, null]]
            : g.Points.Select(p => ("point", p))
                .Concat(g.At.Where(a => a.Value is not null).Select(a => ($"at {a.Key} months", a.Value!)))
                .SelectMany(x => report.States.Select(s => (IReadOnlyList<object?>)
                    [g.Key, false, x.Item1, x.Item2.Day, s, null, x.Item2.States[s].Count,
                        x.Item2.States[s].Probability, x.Item2.States[s].Lower, x.Item2.States[s].Upper, null, null]))
                .Concat(g.Transitions.Select(t => (IReadOnlyList<object?>)
                    [g.Key, false, "move", null, t.From, t.To, t.Count, null, null, null, t.PersonYears,
                        t.RatePerPersonYear]))),
        report.Protection);
}

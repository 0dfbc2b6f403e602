using Trajectories.Retention.Disclosure;
using Trajectories.Survival;

namespace Trajectories.Retention.Occupation;

/// <summary>
/// Occupation for analysts under the cell key method (ADR 14), from a monthly multi-state life table whose counts are
/// all protected cumulative cells (<see cref="CumulativeCells"/>): per state, people whose follow-up began in it by
/// month k and whose follow-up ended in it by month k; per pair of states, moves by month k. A month's moves and the
/// at-risk count of each state are differences of those cells, so no step carries one person's move, and the
/// probabilities are the Aalen-Johansen estimate of that table (Occupation.FromCounts) with its Greenwood-type
/// errors, computed from the published counts only. The curve stops where fewer than the minimum cell size are
/// followed in all states together; a state's count under it is not shown. Moves per pair are the last month's
/// cells, and person-years the published at-risk counts times the months' lengths.
/// </summary>
public static class ProtectedOccupation
{
    public static OccupationReport Build(
        RetentionQuery query, IReadOnlyList<OccupationPath> paths, PerturbationTable table,
        IReadOnlyList<string> groupKeys)
    {
        var members = paths.ToLookup(p => GetOccupationEndpoint.GroupOf(p.Person, query.GroupBy));
        var groups = groupKeys.Select(key => Group(key, members[key].ToList(), query.Ci, table)).ToList();
        return new OccupationReport(query.AsOf, query.GroupBy, table.MinCellSize, Paths.States,
            query.Ci == CiTransform.Log ? "log" : "log-log", "greenwood-type", "months since certification", groups)
        {
            Protection = Protection.CellKey(table),
        };
    }

    private static OccupationGroup Group(
        string key, List<OccupationPath> paths, CiTransform ci, PerturbationTable table)
    {
        var life = Table(paths, table);
        if (table.Show(life.N) is null) return GetOccupationEndpoint.Hidden(key);
        var k = Paths.States.Count;
        // The estimate starts from the states of those followed at the first month anyone moved in.
        var first = life.Rows.FindIndex(r => r.Moves.Any(m => m.Any(x => x > 0)));
        var rows = first < 0 ? [] : life.Rows.Skip(first).TakeWhile(r => r.AtRisk.Sum() >= table.MinCellSize)
            .ToList();
        var initial = first < 0 ? life.Rows.LastOrDefault()?.AtRisk ?? new int[k] : life.Rows[first].AtRisk;
        var curve = Survival.Occupation.FromCounts(Paths.States, initial, rows, transform: ci);
        OccupationPointView View(double day, OccupationPoint p, IReadOnlyList<int> atRisk) => new(day,
            Paths.States.Select((s, j) => (s, j)).ToDictionary(x => x.s, x => new StateView(
                p.Probability[x.j], p.Lower[x.j], p.Upper[x.j], table.Show(atRisk[x.j]))));
        var lastDay = rows.Count > 0 ? rows[^1].Time : double.NegativeInfinity;
        return new OccupationGroup(key, life.N, false,
            curve.Points.Select(p => View(p.Time, p, p.AtRisk)).ToList(),
            SurvivalReports.Months.ToDictionary(m => m.ToString(), m =>
            {
                var day = MonthlyTable.Day(m);
                if (day > lastDay || curve.At(day) is not { } p) return null;
                var row = rows.LastOrDefault(r => r.Time <= day) ?? rows[0];
                return View(day, p, row.AtRisk);
            }),
            GetOccupationEndpoint.Pairs().Select(x =>
            {
                var years = life.PersonYears[x.From];
                var count = table.Show(life.Moved[x.From][x.To]);
                return new TransitionView(Paths.States[x.From], Paths.States[x.To], count, Math.Round(years, 1),
                    count is { } c && years > 0 ? c / years : null);
            }).ToList());
    }

    /// <summary>
    /// A group's monthly life table: rows for months 0 to the last, all counts from protected cells; person-years per
    /// state by the actuarial convention (those followed in the state at a month's start count the whole month, those
    /// arriving, leaving or whose follow-up ends in it half of it), from the same cells. Counting whole months only
    /// overstated short stays by a fifth (a hostile review: paused person-years 1.19 times the exact on average).
    /// </summary>
    public sealed record LifeTable(int N, List<OccupationRow> Rows, int[][] Moved, double[] PersonYears);

    public static LifeTable Table(List<OccupationPath> paths, PerturbationTable? protect)
    {
        var k = Paths.States.Count;
        var last = 0;
        foreach (var e in paths.SelectMany(p => p.Episodes)) last = Math.Max(last, MonthlyTable.Month(e.Stop));
        var entered = Enumerable.Range(0, k).Select(_ => new CumulativeCells(last + 1)).ToArray();
        var ended = Enumerable.Range(0, k).Select(_ => new CumulativeCells(last + 1)).ToArray();
        var moved = Enumerable.Range(0, k).Select(_ => Enumerable.Range(0, k)
            .Select(_ => new CumulativeCells(last + 1)).ToArray()).ToArray();
        foreach (var path in paths)
        {
            var start = path.Episodes[0].Start;
            // Delayed entry counts from the month follow-up began in, from the next one when it began on a month's
            // last day (at risk only after entry), as MonthlyTable's survival tables count it.
            var entry = start > 0 && MonthlyTable.Day(MonthlyTable.Month(start)) == start
                ? MonthlyTable.Month(start) + 1
                : MonthlyTable.Month(start);
            entered[path.Episodes[0].From].Add(Math.Min(entry, last), path.Key);
            foreach (var e in path.Episodes)
            {
                var month = Math.Max(MonthlyTable.Month(e.Stop), Math.Min(entry, last));
                if (e.To is { } to) moved[e.From][to].Add(month, path.Key);
                else ended[e.From].Add(month, path.Key);
            }
            // A move on the as-of day itself ends follow-up in the new state the same day (Paths leaves no episode
            // after it): without this the person stayed at risk there to the group's last month (a hostile review).
            if (path.Episodes[^1] is { To: { } arrived } final)
                ended[arrived].Add(Math.Max(MonthlyTable.Month(final.Stop), Math.Min(entry, last)), path.Key);
        }
        var inBy = entered.Select(c => c.Cumulative(protect)).ToArray();
        var endedBy = ended.Select(c => c.Cumulative(protect)).ToArray();
        var movedBy = moved.Select(row => row.Select(c => c.Cumulative(protect)).ToArray()).ToArray();
        int Before(int[] cumulative, int month) => month == 0 ? 0 : cumulative[month - 1];
        var rows = new List<OccupationRow>(last + 1);
        var personYears = new double[k];
        for (var m = 0; m <= last; m++)
        {
            var atRisk = new int[k];
            var moves = new int[k][];
            for (var j = 0; j < k; j++)
            {
                var arrived = Enumerable.Range(0, k).Where(x => x != j).Sum(x => Before(movedBy[x][j], m));
                var left = Enumerable.Range(0, k).Where(x => x != j).Sum(x => Before(movedBy[j][x], m));
                atRisk[j] = Math.Max(0, inBy[j][m] + arrived - left - Before(endedBy[j], m));
                moves[j] = Enumerable.Range(0, k).Select(x => x == j ? 0 : movedBy[j][x][m] - Before(movedBy[j][x], m))
                    .ToArray();
            }
            rows.Add(new OccupationRow(MonthlyTable.Day(m), atRisk, moves));
            var length = (MonthlyTable.Day(m) - (m == 0 ? 0 : MonthlyTable.Day(m - 1))) / 365.25;
            for (var j = 0; j < k; j++)
            {
                var arriving = Enumerable.Range(0, k).Where(x => x != j).Sum(x => moves[x][j]);
                var leaving = moves[j].Sum() + endedBy[j][m] - Before(endedBy[j], m);
                var enteringNow = m == 0 ? 0 : inBy[j][m] - inBy[j][m - 1];
                personYears[j] += length * Math.Max(0, atRisk[j] - enteringNow
                    + (enteringNow + arriving - leaving) / 2.0);
            }
        }
        var n = protect?.Protect(paths.Count, CellKey.Of(paths.Select(p => p.Key))) ?? paths.Count;
        return new LifeTable(n, rows,
            Enumerable.Range(0, k).Select(j => Enumerable.Range(0, k).Select(x => movedBy[j][x][last]).ToArray())
                .ToArray(), personYears);
    }
}

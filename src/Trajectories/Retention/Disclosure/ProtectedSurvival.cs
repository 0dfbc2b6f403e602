using Trajectories.Survival;

namespace Trajectories.Retention.Disclosure;

/// <summary>
/// Kaplan-Meier per group for analysts under the cell key method: each group's curve is the product-limit estimate of
/// its protected monthly life table (<see cref="MonthlyTable"/>), with Greenwood intervals from the same counts;
/// medians and month readings are read off that curve, which stops where the protected at-risk count falls below the
/// minimum cell size. A group whose protected size is below it is listed but hidden. The log-rank test is computed
/// from the protected tables too. Nothing here reads an exact count that is then shown.
/// </summary>
public static class ProtectedSurvival
{
    public static SurvivalReport Build(RetentionQuery query, IEnumerable<Spell> spells, PerturbationTable table,
        Careers.CareerLadder ladder, Facts.FactsTable everyone, Func<string, bool>? listable = null) =>
        Build(query, new SpellTable([.. spells]), table, ladder, everyone, listable);

    public static SurvivalReport Build(RetentionQuery query, SpellTable spells, PerturbationTable table,
        Careers.CareerLadder ladder, Facts.FactsTable everyone, Func<string, bool>? listable = null)
    {
        var members = spells.Groups(query).ToDictionary(g => g.Key, g => g.Members);
        var groups = GroupKeys.For(query, everyone, ladder, listable)
            .Select(key => (Key: key, Table: MonthlyTable.Build(spells, members.GetValueOrDefault(key) ?? [], table)))
            .ToList();
        var curves = new List<GroupCurve>();
        var tested = new List<IReadOnlyList<CountRow>>();
        foreach (var (key, life) in groups)
        {
            if (table.Show(life.N) is null)
            {
                curves.Add(Hidden(listable is null || listable(key) ? key : SurvivalReports.OtherHidden));
                continue;
            }
            if (listable is not null && !listable(key))
            {
                curves.Add(Hidden(SurvivalReports.OtherHidden));   // free text is never a shown group's name
                continue;
            }
            var shown = life.Rows.TakeWhile(r => r.AtRisk >= table.MinCellSize).ToList();
            tested.Add(shown);
            curves.Add(Curve(key, life, KaplanMeier.FromCounts(life.N, shown, query.Ci), table));
        }
        curves = curves.DistinctBy(c => (c.Suppressed, c.Key)).ToList();
        var logRank = query.GroupBy is null ? null : LogRank.FromCounts(tested);
        return new SurvivalReport(SurvivalReports.MeasureName(query.Measure), query.AsOf,
            query.Ci == CiTransform.Log ? "log" : "log-log", query.GroupBy, table.MinCellSize, curves,
            logRank is null ? null : new LogRankView(logRank.ChiSquare, logRank.DegreesOfFreedom, logRank.P))
        {
            Protection = Protection.CellKey(table),
        };
    }

    private static GroupCurve Hidden(string key) => new(key, null, null, null, true, null, [],
        SurvivalReports.Months.ToDictionary(m => m.ToString(), _ => (AtView?)null));

    private static GroupCurve Curve(string key, MonthlyLifeTable life, SurvivalCurve curve, PerturbationTable table)
    {
        var points = curve.Points.Where(p => p.Events > 0 || p.Censored > 0).ToList();
        var lastDay = curve.Points.Count > 0 ? curve.Points[^1].Time : double.NegativeInfinity;
        double? Within(double? day) => day is { } d && d <= lastDay ? d : null;
        var median = curve.Median();
        var at = SurvivalReports.Months.ToDictionary(m => m.ToString(), m =>
        {
            var day = MonthlyTable.Day(m);
            if (day > lastDay || curve.At(day) is not { } p) return null;
            var row = curve.Points.LastOrDefault(x => x.Time <= day) ?? curve.Points[0];
            return new AtView(day, row.AtRisk, p.Survival, p.Lower, p.Upper);
        });
        return new GroupCurve(key, life.N, table.Show(life.Events), table.Show(life.Censored), false,
            new MedianView(Within(median.Time), Within(median.Lower), Within(median.Upper)),
            points.Select(p => new PointView(p.Time, p.AtRisk, table.Show(p.Events), table.Show(p.Censored),
                p.Survival, p.Lower, p.Upper)).ToList(),
            at) { RestrictedMean = SurvivalReports.RestrictedMeans(curve, lastDay) };
    }
}

using Trajectories.Survival;

namespace Trajectories.Retention;

/// <summary>Kaplan-Meier per group, cut and suppressed for analysts.</summary>
public static class SurvivalReports
{
    /// <summary>Months read off every curve, as days: floor(months × 365.25 / 12).</summary>
    public static readonly int[] Months = [6, 12, 24, 36];

    public static int Days(int months) => (int)Math.Floor(months * 365.25 / 12);

    public static string MeasureName(Measure m) => m switch
    {
        Measure.FirstPeerJob => "first-peer-job",
        Measure.PeerWork => "peer-work",
        Measure.FirstPromotion => "first-promotion",
        _ => "job",
    };

    public static string GroupKey(Spell s, string? groupBy) =>
        groupBy is null ? "all" : s.Attributes[groupBy] ?? "none";

    /// <summary>
    /// What a hidden group of free text (a tier no ladder has) is listed as: its words could name someone.
    /// </summary>
    public const string OtherHidden = "other (hidden)";

    /// <summary>
    /// Which group keys are vocabulary when grouping by tier (the ladder's tiers and "none"); a job's tier outside
    /// the ladder is free text, an employer's own words. Null for other groupings: all their keys are vocabulary.
    /// </summary>
    public static Func<string, bool>? Listable(RetentionQuery query, Careers.CareerLadder ladder) =>
        query.GroupBy == "tier"
            ? key => key == RetentionQuery.TierOrNone(null) || ladder.Tiers.Contains(key)
            : null;

    /// <summary>
    /// Kaplan-Meier per group. <paramref name="listable"/> says which group keys are vocabulary, safe to list even
    /// when their group is hidden; a hidden group of any other key is listed once, as <see cref="OtherHidden"/>.
    /// </summary>
    public static SurvivalReport Build(RetentionQuery query, IEnumerable<Spell> spells, Suppression suppression,
        Func<string, bool>? listable = null) => Build(query, new SpellTable([.. spells]), suppression, listable);

    public static SurvivalReport Build(RetentionQuery query, SpellTable spells, Suppression suppression,
        Func<string, bool>? listable = null)
    {
        var groups = spells.Groups(query).Select(g => (g.Key, Data: spells.ObservationsOf(g.Members))).ToList();

        var hidden = SuppressedGroups(groups.Select(g => g.Data.Count).ToList(), suppression);
        var curves = groups.Select((g, i) => hidden[i]
            ? new GroupCurve(g.Key, null, null, null, true, null, [],
                Months.ToDictionary(m => m.ToString(), _ => (AtView?)null))
            : Curve(g.Key, g.Data, KaplanMeier.Estimate(g.Data, query.Ci), suppression)).ToList();
        if (listable is not null && suppression.MinCellSize > 1)
            curves = curves.Select(c => c.Suppressed && !listable(c.Key) ? c with { Key = OtherHidden } : c)
                .DistinctBy(c => (c.Suppressed, c.Key)).ToList();

        var shown = groups.Where((_, i) => !hidden[i]).Select(g => (IReadOnlyCollection<Observation>)g.Data).ToList();
        var logRank = query.GroupBy is null ? null : LogRank.Test(shown);
        return new SurvivalReport(MeasureName(query.Measure), query.AsOf,
            query.Ci == CiTransform.Log ? "log" : "log-log", query.GroupBy, suppression.MinCellSize, curves,
            logRank is null ? null : new LogRankView(logRank.ChiSquare, logRank.DegreesOfFreedom, logRank.P));
    }

    /// <summary>
    /// Groups under the minimum cell size are listed but hidden. When exactly one is, its size would follow from the
    /// ungrouped total minus the others, so the next smallest group is hidden too.
    /// </summary>
    public static bool[] SuppressedGroups(IReadOnlyList<int> sizes, Suppression suppression) =>
        sizes.Count == 1 ? [suppression.Hides(sizes[0])] : suppression.HideInRow(sizes);

    public static readonly int[] RestrictedMonths = [12, 24, 36];

    /// <summary>
    /// The restricted means of a curve whose shown part ends on <paramref name="lastDay"/>: up to a mark only when
    /// the curve reaches it (carried past its end, as R does, it would be an estimate of nothing shown).
    /// </summary>
    public static IReadOnlyDictionary<string, RestrictedMeanView?> RestrictedMeans(
        SurvivalCurve curve, double lastDay) =>
        RestrictedMonths.ToDictionary(m => m.ToString(), m =>
        {
            var tau = Days(m);
            if (tau > lastDay) return null;
            var (mean, se) = curve.RestrictedMean(tau);
            return (RestrictedMeanView?)new RestrictedMeanView(m, mean, se, Math.Max(0, mean - 1.959963984540054 * se),
                Math.Min(tau, mean + 1.959963984540054 * se));
        });

    private static GroupCurve Curve(string key, List<Observation> data, SurvivalCurve curve, Suppression suppression)
    {
        // The curve stops where fewer than the minimum cell size remain at risk.
        var points = curve.Points.TakeWhile(p => p.AtRisk >= suppression.MinCellSize).ToList();
        var lastDay = points.Count > 0 ? points[^1].Time : double.NegativeInfinity;
        double? Within(double? day) => day is { } d && d <= lastDay ? d : null;

        var median = curve.Median();
        var at = Months.ToDictionary(m => m.ToString(), m =>
        {
            var day = Days(m);
            if (day > lastDay) return null;
            var p = curve.At(day)!;
            var atRisk = data.Count(o => o.AtRiskAt(day));
            return atRisk < suppression.MinCellSize ? null : new AtView(day, atRisk, p.Survival, p.Lower, p.Upper);
        });
        return new GroupCurve(key, curve.N, suppression.Show(curve.Events), suppression.Show(curve.Censored), false,
            new MedianView(Within(median.Time), Within(median.Lower), Within(median.Upper)),
            points.Select(p => new PointView(p.Time, p.AtRisk, suppression.Show(p.Events), suppression.Show(p.Censored),
                p.Survival, p.Lower, p.Upper)).ToList(),
            at) { RestrictedMean = RestrictedMeans(curve, lastDay) };
    }
}

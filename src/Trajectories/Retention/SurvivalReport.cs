namespace Trajectories.Retention;

public sealed record PointView(
    double Day, int AtRisk, int? Events, int? Censored, double Survival, double? Lower, double? Upper);

public sealed record MedianView(double? Days, double? Lower, double? Upper);

public sealed record AtView(int Day, int AtRisk, double Survival, double? Lower, double? Upper);

public sealed record LogRankView(double ChiSquare, int Df, double P);

/// <summary>The restricted mean time up to Tau months (days, with its standard error and 95% interval).</summary>
public sealed record RestrictedMeanView(int Months, double Days, double Se, double Lower, double Upper);

public sealed record GroupCurve(
    string Key, int? N, int? Events, int? Censored, bool Suppressed, MedianView? Median,
    IReadOnlyList<PointView> Points, IReadOnlyDictionary<string, AtView?> At)
{
    /// <summary>
    /// Restricted mean time up to 12, 24 and 36 months (R's rmean): null where the curve shown stops before it.
    /// </summary>
    public IReadOnlyDictionary<string, RestrictedMeanView?> RestrictedMean { get; init; } =
        new Dictionary<string, RestrictedMeanView?>();
}

public sealed record SurvivalReport(
    string Measure, DateOnly AsOf, string Ci, string? GroupBy, int MinCellSize, IReadOnlyList<GroupCurve> Groups,
    LogRankView? LogRank)
{
    /// <summary>How the figures were protected (cell key for analysts; suppression or exact otherwise).</summary>
    public Disclosure.Protection? Protection { get; init; }
}

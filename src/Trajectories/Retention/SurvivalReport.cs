namespace Trajectories.Retention;

public sealed record PointView(
    double Day, int AtRisk, int? Events, int? Censored, double Survival, double? Lower, double? Upper);

public sealed record MedianView(double? Days, double? Lower, double? Upper);

public sealed record AtView(int Day, int AtRisk, double Survival, double? Lower, double? Upper);

public sealed record LogRankView(double ChiSquare, int Df, double P);

public sealed record GroupCurve(
    string Key, int? N, int? Events, int? Censored, bool Suppressed, MedianView? Median,
    IReadOnlyList<PointView> Points, IReadOnlyDictionary<string, AtView?> At);

public sealed record SurvivalReport(
    string Measure, DateOnly AsOf, string Ci, string? GroupBy, int MinCellSize, IReadOnlyList<GroupCurve> Groups,
    LogRankView? LogRank)
{
    /// <summary>How the figures were protected (cell key for analysts; suppression or exact otherwise).</summary>
    public Disclosure.Protection? Protection { get; init; }
}

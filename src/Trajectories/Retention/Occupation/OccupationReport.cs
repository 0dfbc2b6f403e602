namespace Trajectories.Retention.Occupation;

/// <summary>
/// The occupation probabilities at one day since certification: per state, the probability of being in it, its
/// interval, and how many were followed in it (null where the count is hidden).
/// </summary>
public sealed record StateView(double? Probability, double? Lower, double? Upper, int? Count);

public sealed record OccupationPointView(double Day, IReadOnlyDictionary<string, StateView> States);

/// <summary>
/// Moves between two states: how many, the person-years spent in the state moved from, and moves per person-year.
/// </summary>
public sealed record TransitionView(string From, string To, int? Count, double? PersonYears, double? RatePerPersonYear);

public sealed record OccupationGroup(
    string Key, int? N, bool Suppressed, IReadOnlyList<OccupationPointView> Points,
    IReadOnlyDictionary<string, OccupationPointView?> At, IReadOnlyList<TransitionView> Transitions);

/// <param name="Variance">
/// How the errors are computed: "infinitesimal-jackknife" (from each person's influence, as R's survfit) or
/// "greenwood-type" (from the published counts, for analysts).
/// </param>
public sealed record OccupationReport(
    DateOnly AsOf, string? GroupBy, int MinCellSize, IReadOnlyList<string> States, string Ci, string Variance,
    string TimeScale, IReadOnlyList<OccupationGroup> Groups)
{
    /// <summary>How the figures were protected (cell key for analysts; suppression or exact otherwise).</summary>
    public Disclosure.Protection? Protection { get; init; }
}

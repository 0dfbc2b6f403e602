namespace Trajectories.Retention.Burnout;

/// <summary>One subscale's mean over people, with its 95% interval and how many people it is over.</summary>
public sealed record ScoreView(double Mean, double? Lower, double? Upper, int People);

/// <summary>Months since the hire into the job held at the check-in.</summary>
public sealed record BandView(string Band, IReadOnlyDictionary<string, ScoreView?> Scores);

public sealed record BurnoutGroup(
    string Key, bool Suppressed, IReadOnlyDictionary<string, ScoreView?> Scores, IReadOnlyList<BandView> SinceHire);

public sealed record BurnoutReport(
    DateOnly AsOf, string GroupBy, int MinCellSize, IReadOnlyList<string> Scales, IReadOnlyList<string> Bands,
    IReadOnlyList<BurnoutGroup> Groups)
{
    /// <summary>How the figures were protected (cell key for analysts; suppression or exact otherwise).</summary>
    public Disclosure.Protection? Protection { get; init; }
}

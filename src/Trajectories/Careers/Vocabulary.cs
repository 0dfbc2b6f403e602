namespace Trajectories.Careers;

/// <summary>The closed lists of the career stream, spelled as they appear in the API and in stored events.</summary>
public static class Vocabulary
{
    public static readonly string[] Credentials = ["adult-peer", "youth-peer", "family-peer", "recovery-coach"];
    public static readonly string[] JobTypes = ["peer", "clinical", "other"];

    public static readonly string[] SeparationReasons =
        ["burnout", "health-disability", "position-cut", "better-pay", "clinical-role", "relocation", "personal",
            "dismissed", "other"];

    public static class Status
    {
        public const string LostToFollowUp = "lost-to-follow-up";
        public const string Paused = "paused";
        public const string EmployedPeer = "employed-peer";
        public const string EmployedOther = "employed-other";
        public const string NotEmployed = "not-employed";
        public const string SeekingPeerWork = "seeking-peer-work";

        public static readonly string[] All = [LostToFollowUp, Paused, EmployedPeer, EmployedOther, NotEmployed,
            SeekingPeerWork];
    }

    /// <summary>
    /// What a person reports at a check-in; the same words as the computed status where they overlap.
    /// </summary>
    public static readonly string[] ReportedStatuses =
        ["employed-peer", "employed-other", "not-employed", "seeking-peer-work", "paused"];

    /// <summary>35 or more hours a week counts as full time (the convention of the retention measures).</summary>
    public const decimal FullTimeHours = 35m;
}

/// <summary>
/// The peer career ladder (configurable: Careers:Ladder). The first tier is the default for a peer hire.
/// </summary>
public sealed class CareerLadder
{
    public static readonly string[] DefaultTiers = ["Peer I", "Peer II", "Peer III", "Lead Peer", "Peer Supervisor",
        "Peer Manager"];

    public CareerLadder(IEnumerable<string>? tiers = null)
    {
        var list = tiers?.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).ToArray();
        Tiers = list is { Length: > 0 } ? list : DefaultTiers;
    }

    public IReadOnlyList<string> Tiers { get; }

    public string EntryTier => Tiers[0];

    /// <summary>What a peer job's tier off the ladder is told, wherever a tier is read.</summary>
    public string NotOnLadder => $"'tier' must be a tier of the peer ladder: {string.Join(", ", Tiers)}.";

    /// <summary>
    /// The configured spelling of a tier, matched without regard to case, or null when it is not on the ladder.
    /// </summary>
    public string? Find(string? tier) =>
        tier is null ? null : Tiers
            .FirstOrDefault(t => string.Equals(t, tier.Trim(), StringComparison.OrdinalIgnoreCase));
}

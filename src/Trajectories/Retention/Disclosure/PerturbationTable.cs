namespace Trajectories.Retention.Disclosure;

/// <summary>
/// The perturbation table of the cell key method (ABS TableBuilder; Fraser and Wooton 2005): a count n with cell key
/// k is published as n + d, where d is read from a fixed distribution for n at the position k gives. Keys are sums of
/// secret record keys (<see cref="CellKey"/>), so a cell with the same contributors always gets the same d, however it
/// is asked for, and different cells get independent ones. ADR 14 gives the parameters and why.
/// <para>
/// For n of 3 or more, d lies in [-3, 3] with P(0) = 0.40, P(±1) = 0.22, P(±2) = 0.06, P(±3) = 0.02 (variance 1.28).
/// Small counts cannot go far down without going negative, so their tables reach further up instead, and leave d = 0
/// less likely, so that a cell of one or two is not published as itself most of the time: n = 2 takes d from -2 to 3,
/// n = 1 from -1 to 2. Every table has mean 0 (the published count is unbiased) and none goes below zero. A count of 0
/// has no contributors and stays 0. Protected counts under MinCellSize, 0 included, are not shown.
/// </para>
/// <para>
/// A second, smaller perturbation belongs to the release: the month end the answer is as of, and the release of
/// recorded facts it is computed from (<see cref="AnalystReleases"/>). It is read from the same cell key mixed with
/// both, so it is the same for a cell within one release and month end, and independent between them. Without it a
/// cell whose contributors did not change answered exactly the same at two month ends (or before and after a late
/// record), and one that did almost always answered differently: which cells changed (one person's reason for
/// leaving, their tenure) could be read off (ADR 14, the equality oracle). With it every cell moves between releases,
/// changed or not; averaging a cell over many releases wears the release part down to the first part, never further.
/// d lies in [-1, 1] with P(0) = 0.5 (variance 0.5), added to the first protected count, so it never goes below zero.
/// </para>
/// </summary>
public sealed class PerturbationTable(int minCellSize, DateOnly asOf, uint releaseNumber = 0)
{
    /// <summary>The table for an answer as of a month end, from a view's release (ADR 14).</summary>
    public static PerturbationTable For(int minCellSize, DateOnly asOf, FactsView view) =>
        new(minCellSize, asOf, view.ReleaseNumber) { Source = view.Release };

    /// <summary>The release the counts come from, for the answer to say so.</summary>
    public AnalystRelease? Source { get; init; }

    /// <summary>The largest change a count can get: the first perturbation's and the release's together.</summary>
    public const int MaxPerturbation = FirstPerturbation + ReleasePart;
    public const int FirstPerturbation = 3;
    public const int ReleasePart = 1;

    /// <summary>The tables: the lowest d, then the probability of each d from there up.</summary>
    private static readonly (int From, double[] P)[] Tables =
    [
        (0, [1.0]),                                          // n = 0: no contributors
        (-1, [0.45, 0.20, 0.25, 0.10]),                      // n = 1: d = -1 .. 2
        (-2, [0.15, 0.25, 0.25, 0.20, 0.10, 0.05]),          // n = 2: d = -2 .. 3
        (-3, [0.02, 0.06, 0.22, 0.40, 0.22, 0.06, 0.02]),    // n >= 3: d = -3 .. 3
    ];

    /// <summary>The release's own table: d = -1, 0, 1 for any count of 1 or more.</summary>
    private static readonly (int From, double[] P) ReleaseTable = (-1, [0.25, 0.50, 0.25]);

    public int MinCellSize { get; } = Math.Max(2, minCellSize);

    /// <summary>
    /// What the release part's key is mixed with: the as-of month (months since year 0) and the release of the
    /// recorded facts, so that a new as-of month end or a new release gives every cell a new release part.
    /// </summary>
    public uint Release { get; } = (uint)(asOf.Year * 12 + asOf.Month - 1) ^ unchecked(releaseNumber * 0x9E3779B1u);

    private static (int From, double[] P) TableFor(int n) => Tables[Math.Clamp(n, 0, 3)];

    /// <summary>The first perturbation d for a count and its cell key (the same in every release).</summary>
    public static int Perturbation(int n, uint key) => n <= 0 ? 0 : Walk(TableFor(n), key);

    /// <summary>The release's perturbation of a count already perturbed once.</summary>
    public static int ReleasePerturbation(int n, uint key, uint release) =>
        n <= 0 ? 0 : Walk(ReleaseTable, Mix(key, release));

    /// <summary>
    /// The cell key and the release mixed into a new uniform key (SplitMix64's finaliser): for one release a
    /// bijection of the key, and for two releases two keys that look independent.
    /// </summary>
    public static uint Mix(uint key, uint release)
    {
        var z = ((ulong)release << 32 | key) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (uint)((z ^ (z >> 31)) >> 32);
    }

    private static int Walk((int From, double[] P) table, uint key)
    {
        var (from, p) = table;
        // The key's position in [0, 1), walked up the table.
        var u = (key + 0.5) / 4294967296.0;
        for (var i = 0; i < p.Length - 1; i++)
        {
            u -= p[i];
            if (u < 0) return from + i;
        }
        return from + p.Length - 1;
    }

    /// <summary>The protected count in this release: n + d + the release's d (0 for 0).</summary>
    public int Protect(int n, uint key)
    {
        var first = n + Perturbation(n, key);
        return first + ReleasePerturbation(first, key, Release);
    }

    /// <summary>
    /// A protected count as shown: null when under MinCellSize, zero included. A published 0 would say "fewer than 4"
    /// and, beside a hidden small count that says "1 or more", tell a group of one from an empty one.
    /// </summary>
    public int? Show(int protectedCount) => protectedCount < MinCellSize ? null : protectedCount;

    /// <summary>The probability that the first d = <paramref name="d"/> for a count of 3 or more.</summary>
    public static double Probability(int d) => Distribution(FirstPerturbation).GetValueOrDefault(d);

    /// <summary>The distribution of the first d for a count of n (none for 0).</summary>
    public static IReadOnlyDictionary<int, double> Distribution(int n)
    {
        var (from, p) = TableFor(n);
        return p.Select((q, i) => (d: from + i, q)).ToDictionary(x => x.d, x => x.q);
    }

    /// <summary>The distribution of the whole change a count of n gets in one release: both parts.</summary>
    public static IReadOnlyDictionary<int, double> PublishedDistribution(int n)
    {
        var result = new Dictionary<int, double>();
        foreach (var (d, p) in Distribution(n))
        {
            var release = n + d <= 0
                ? new Dictionary<int, double> { [0] = 1 }
                : ReleaseTable.P.Select((q, i) => (d: ReleaseTable.From + i, q)).ToDictionary(x => x.d, x => x.q);
            foreach (var (e, q) in release) result[d + e] = result.GetValueOrDefault(d + e) + p * q;
        }
        return result;
    }

    /// <summary>
    /// The chance that a sum (or difference) of independent perturbations of cells with these true counts is exactly
    /// 0: how often an attacker who adds and subtracts those protected counts lands on the true value, without being
    /// able to tell when, with both parts of the perturbation. A cell of 0 adds no noise.
    /// </summary>
    public static double ChanceOfExactDifference(params int[] counts)
    {
        var distribution = new Dictionary<int, double> { [0] = 1 };
        foreach (var n in counts)
        {
            var next = new Dictionary<int, double>();
            foreach (var (sum, p) in distribution)
            foreach (var (d, q) in PublishedDistribution(n))
                next[sum + d] = next.GetValueOrDefault(sum + d) + p * q;
            distribution = next;
        }
        return distribution.GetValueOrDefault(0);
    }

    /// <summary>The same for <paramref name="cells"/> cells of 3 or more.</summary>
    public static double ChanceOfExactDifference(int cells) =>
        ChanceOfExactDifference(Enumerable.Repeat(FirstPerturbation, cells).ToArray());
}

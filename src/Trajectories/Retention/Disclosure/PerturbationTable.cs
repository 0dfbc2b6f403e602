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
/// A second perturbation belongs to the release (<see cref="AnalystReleases"/>): the facts as recorded when it was
/// cut, which every analyst answer until the next release comes from. It is read from the cell key mixed with the
/// release (and, for a monthly row of a series, the row's month), so it is the same for a cell however, through
/// whichever as-of date and however often it is asked within one release: nothing to average there. Between two
/// releases every cell gets a new one, changed or not, so comparing releases does not say which cells a month's
/// events or a late record touched (ADR 14, the equality oracle). e follows a two-sided geometric law,
/// P(e) ∝ 0.25^|e|, cut at ±6 and at ±(the count perturbed once), so it is unbiased and never goes below zero:
/// P(0) = 0.60, P(±1) = 0.15, P(±2) = 0.0375 (variance 0.89). Its long tail, unlike a part bounded at ±1, means that
/// averaging a cell over releases narrows it down without ever pinning it (seeing both −1 and +1 no longer proves
/// the centre); what averaging converges to, n + d, is as protected as one answer of the first part alone.
/// </para>
/// </summary>
public sealed class PerturbationTable(int minCellSize, uint release = 0)
{
    /// <summary>The table for an analyst's answer from the view's release (ADR 14).</summary>
    public static PerturbationTable For(int minCellSize, FactsView view) =>
        new(minCellSize, view.ReleaseNumber) { Source = view.Release };

    /// <summary>
    /// The table for one monthly row of a series (the workforce summary's months): two rows are two cells even when
    /// their contributors are the same, so they get release parts of their own; a row asked through any as-of date
    /// or period of the same release answers the same.
    /// </summary>
    public PerturbationTable ForRow(DateOnly month) =>
        new(MinCellSize, Mix((uint)(month.Year * 12 + month.Month - 1), release ^ 0x5bd1e995u))
        {
            Source = Source,
        };

    /// <summary>The release the counts come from, for the answer to say so.</summary>
    public AnalystRelease? Source { get; init; }

    /// <summary>The largest change a count can get: the first perturbation's and the release's together.</summary>
    public const int MaxPerturbation = FirstPerturbation + ReleasePart;
    public const int FirstPerturbation = 3;
    public const int ReleasePart = 6;
    private const double ReleaseRatio = 0.25;

    /// <summary>The tables: the lowest d, then the probability of each d from there up.</summary>
    private static readonly (int From, double[] P)[] Tables =
    [
        (0, [1.0]),                                          // n = 0: no contributors
        (-1, [0.45, 0.20, 0.25, 0.10]),                      // n = 1: d = -1 .. 2
        (-2, [0.15, 0.25, 0.25, 0.20, 0.10, 0.05]),          // n = 2: d = -2 .. 3
        (-3, [0.02, 0.06, 0.22, 0.40, 0.22, 0.06, 0.02]),    // n >= 3: d = -3 .. 3
    ];

    /// <summary>The release's tables, by how far down the count can go (1 to 6): symmetric, so unbiased.</summary>
    private static readonly (int From, double[] P)[] ReleaseTables = Enumerable.Range(0, ReleasePart + 1).Select(m =>
    {
        var weights = Enumerable.Range(-m, 2 * m + 1).Select(e => Math.Pow(ReleaseRatio, Math.Abs(e))).ToArray();
        var total = weights.Sum();
        return (-m, weights.Select(w => w / total).ToArray());
    }).ToArray();

    public int MinCellSize { get; } = Math.Max(2, minCellSize);

    /// <summary>What the release part's key is mixed with: the release's number (or a row's, from it).</summary>
    public uint Release { get; } = release;

    private static (int From, double[] P) TableFor(int n) => Tables[Math.Clamp(n, 0, 3)];

    /// <summary>The first perturbation d for a count and its cell key (the same in every release).</summary>
    public static int Perturbation(int n, uint key) => n <= 0 ? 0 : Walk(TableFor(n), key);

    /// <summary>The release's perturbation of a count already perturbed once.</summary>
    public static int ReleasePerturbation(int n, uint key, uint release) =>
        n <= 0 ? 0 : Walk(ReleaseTableFor(n), Mix(key, release));

    private static (int From, double[] P) ReleaseTableFor(int n) => ReleaseTables[Math.Clamp(n, 0, ReleasePart)];

    /// <summary>The distribution of the release part for a count (already perturbed once) of n.</summary>
    public static IReadOnlyDictionary<int, double> ReleaseDistribution(int n)
    {
        var (from, p) = ReleaseTableFor(n);
        return p.Select((q, i) => (d: from + i, q)).ToDictionary(x => x.d, x => x.q);
    }

    /// <summary>
    /// How often a cell whose count (perturbed once) is n answers alike in two releases: two independent release
    /// parts agreeing (0.41 for n of 6 or more).
    /// </summary>
    public static double ChanceAlikeInTwoReleases(int n) => ReleaseDistribution(n).Values.Sum(p => p * p);

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
            foreach (var (e, q) in ReleaseDistribution(n + d)) result[d + e] = result.GetValueOrDefault(d + e) + p * q;
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

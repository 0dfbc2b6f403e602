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
/// </summary>
public sealed class PerturbationTable(int minCellSize)
{
    public const int MaxPerturbation = 3;

    /// <summary>The tables: the lowest d, then the probability of each d from there up.</summary>
    private static readonly (int From, double[] P)[] Tables =
    [
        (0, [1.0]),                                          // n = 0: no contributors
        (-1, [0.45, 0.20, 0.25, 0.10]),                      // n = 1: d = -1 .. 2
        (-2, [0.15, 0.25, 0.25, 0.20, 0.10, 0.05]),          // n = 2: d = -2 .. 3
        (-3, [0.02, 0.06, 0.22, 0.40, 0.22, 0.06, 0.02]),    // n >= 3: d = -3 .. 3
    ];

    public int MinCellSize { get; } = Math.Max(2, minCellSize);

    private static (int From, double[] P) TableFor(int n) => Tables[Math.Clamp(n, 0, 3)];

    /// <summary>The perturbation d for a count and its cell key.</summary>
    public static int Perturbation(int n, uint key)
    {
        if (n <= 0) return 0;
        var (from, p) = TableFor(n);
        // The key's position in [0, 1), walked up the table.
        var u = (key + 0.5) / 4294967296.0;
        for (var i = 0; i < p.Length - 1; i++)
        {
            u -= p[i];
            if (u < 0) return from + i;
        }
        return from + p.Length - 1;
    }

    /// <summary>The protected count: n + d (0 for 0).</summary>
    public static int Protect(int n, uint key) => n + Perturbation(n, key);

    /// <summary>
    /// A protected count as shown: null when under MinCellSize, zero included. A published 0 would say "fewer than 4"
    /// and, beside a hidden small count that says "1 or more", tell a group of one from an empty one.
    /// </summary>
    public int? Show(int protectedCount) => protectedCount < MinCellSize ? null : protectedCount;

    /// <summary>The probability that d = <paramref name="d"/> for a count of 3 or more.</summary>
    public static double Probability(int d) => Distribution(MaxPerturbation).GetValueOrDefault(d);

    /// <summary>The distribution of d for a count of n (none for 0).</summary>
    public static IReadOnlyDictionary<int, double> Distribution(int n)
    {
        var (from, p) = TableFor(n);
        return p.Select((q, i) => (d: from + i, q)).ToDictionary(x => x.d, x => x.q);
    }

    /// <summary>
    /// The chance that a sum (or difference) of independent perturbations of cells with these true counts is exactly
    /// 0: how often an attacker who adds and subtracts those protected counts lands on the true value, without being
    /// able to tell when. Cells of 3 or more: 40% for one, 26% for two, 18% for four; a cell of 1 or 2 alone: 20%
    /// or 25%; a cell of 0 adds no noise.
    /// </summary>
    public static double ChanceOfExactDifference(params int[] counts)
    {
        var distribution = new Dictionary<int, double> { [0] = 1 };
        foreach (var n in counts)
        {
            var next = new Dictionary<int, double>();
            foreach (var (sum, p) in distribution)
            foreach (var (d, q) in Distribution(n))
                next[sum + d] = next.GetValueOrDefault(sum + d) + p * q;
            distribution = next;
        }
        return distribution.GetValueOrDefault(0);
    }

    /// <summary>The same for <paramref name="cells"/> cells of 3 or more.</summary>
    public static double ChanceOfExactDifference(int cells) =>
        ChanceOfExactDifference(Enumerable.Repeat(MaxPerturbation, cells).ToArray());
}

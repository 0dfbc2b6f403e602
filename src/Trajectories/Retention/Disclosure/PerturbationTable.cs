namespace Trajectories.Retention.Disclosure;

/// <summary>
/// The perturbation table of the cell key method (ABS TableBuilder; Fraser and Wooton 2005): a count n with cell key
/// k is published as n + d, where d is read from a fixed distribution at the position k gives. Keys are sums of
/// secret record keys (<see cref="CellKey"/>), so a cell with the same contributors always gets the same d, however it
/// is asked for, and different cells get independent ones. ADR 14 gives the parameters and why.
/// <para>
/// d lies in [-r, r] with r = min(n, <see cref="MaxPerturbation"/>), with probabilities proportional to
/// <see cref="Weights"/> (by |d|): symmetric, so the published count is unbiased and never negative. A count of 0 has
/// no contributors and stays 0. Published counts from 1 to MinCellSize - 1 are not shown.
/// </para>
/// </summary>
public sealed class PerturbationTable(int minCellSize)
{
    public const int MaxPerturbation = 3;

    /// <summary>Relative probability of d by |d| = 0, 1, 2, 3 (each sign): variance 1.28 for n of 3 or more.</summary>
    public static readonly double[] Weights = [0.40, 0.22, 0.06, 0.02];

    public int MinCellSize { get; } = Math.Max(2, minCellSize);

    /// <summary>The perturbation d for a count and its cell key.</summary>
    public static int Perturbation(int n, uint key)
    {
        if (n <= 0) return 0;
        var reach = Math.Min(n, MaxPerturbation);
        var total = Weights[0];
        for (var j = 1; j <= reach; j++) total += 2 * Weights[j];
        // The key's position in [0, 1), scaled to the distribution's mass, then walked from -reach up.
        var u = (key + 0.5) / 4294967296.0 * total;
        for (var d = -reach; d < reach; d++)
        {
            u -= Weights[Math.Abs(d)];
            if (u < 0) return d;
        }
        return reach;
    }

    /// <summary>The protected count: n + d (0 for 0).</summary>
    public static int Protect(int n, uint key) => n + Perturbation(n, key);

    /// <summary>A protected count as shown: null when from 1 to MinCellSize - 1.</summary>
    public int? Show(int protectedCount) => protectedCount > 0 && protectedCount < MinCellSize ? null : protectedCount;

    /// <summary>The probability that d = <paramref name="d"/> for a count at or above the table's reach.</summary>
    public static double Probability(int d)
    {
        if (Math.Abs(d) > MaxPerturbation) return 0;
        var total = Weights[0] + 2 * Weights.Skip(1).Sum();
        return Weights[Math.Abs(d)] / total;
    }

    /// <summary>The distribution of d for a count of n (its reach is min(n, 3); none for 0).</summary>
    public static IReadOnlyDictionary<int, double> Distribution(int n)
    {
        if (n <= 0) return new Dictionary<int, double> { [0] = 1 };
        var reach = Math.Min(n, MaxPerturbation);
        var total = Weights[0];
        for (var j = 1; j <= reach; j++) total += 2 * Weights[j];
        return Enumerable.Range(-reach, 2 * reach + 1).ToDictionary(d => d, d => Weights[Math.Abs(d)] / total);
    }

    /// <summary>
    /// The chance that a sum (or difference) of independent perturbations of cells with these true counts is exactly
    /// 0: how often an attacker who adds and subtracts those protected counts lands on the true value, without being
    /// able to tell when. Cells of 3 or more: 40% for one, 26% for two, 18% for four; a cell of 0 adds no noise.
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

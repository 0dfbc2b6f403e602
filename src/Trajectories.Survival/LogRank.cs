using System.Runtime.CompilerServices;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Trajectories.Survival;

public sealed record LogRankResult(
    double ChiSquare, int DegreesOfFreedom, double P, IReadOnlyList<double> Observed, IReadOnlyList<double> Expected);

/// <summary>
/// The log-rank test of equal survival across groups (R's survdiff, rho = 0): at each event time the hypergeometric
/// expectation and covariance of events per group; chi-square = (O - E)' V⁻ (O - E) over the groups with expected
/// events, less one (as survdiff: a group never at risk at an event time is left out, and the df drop with it).
/// Delayed entry is honoured through the same at-risk rule as <see cref="KaplanMeier"/>.
/// </summary>
public static class LogRank
{
    /// <summary>
    /// Null when fewer than two groups have anyone in them or expected events (no test), or no event happened at all.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static LogRankResult? Test(IReadOnlyList<IReadOnlyCollection<Observation>> groups)
    {
        var present = groups.Where(g => g.Count > 0).ToList();
        var k = present.Count;
        if (k < 2) return null;

        var observed = new double[k];
        var expected = new double[k];
        var variance = Matrix<double>.Build.Dense(k, k);
        // Every event time, kept or not (an event never at risk adds no deaths there, so nothing).
        var times = new SortedSet<double>(present.SelectMany(g => g.Where(o => o.Event).Select(o => o.Exit)));
        if (times.Count == 0) return null;

        var atRisk = new double[k];
        var deaths = new double[k];
        var kept = present.Select(Kept.Of).ToArray();
        var risks = kept.Select(g => new RiskSet(g.Exits, g.Entries)).ToArray();
        // Each group's exits are sorted: a cursor per group walks them alongside the event times.
        var next = new int[k];
        foreach (var t in times)
        {
            for (var g = 0; g < k; g++)
            {
                atRisk[g] = risks[g].AtRisk(t);
                var (exits, events) = (kept[g].Exits, kept[g].Events);
                while (next[g] < exits.Length && exits[next[g]] < t) next[g]++;
                var d = 0;
                for (var i = next[g]; i < exits.Length && exits[i] == t; i++)
                    if (events[i]) d++;
                deaths[g] = d;
            }
            Accumulate(atRisk, deaths, observed, expected, variance);
        }
        return Finish(observed, expected, variance);
    }

    /// <summary>
    /// The same test from life tables on a shared time grid (one list of rows per group; a group without a row at a
    /// time has nobody at risk then): for counts that are published, not individual observations.
    /// </summary>
    public static LogRankResult? FromCounts(IReadOnlyList<IReadOnlyList<CountRow>> groups)
    {
        var present = groups.Where(g => g.Any(r => r.AtRisk > 0)).ToList();
        var k = present.Count;
        if (k < 2) return null;
        var rows = present.Select(g => g.Where(r => r.AtRisk > 0).GroupBy(r => r.Time)
            .ToDictionary(x => x.Key, x => x.First())).ToArray();
        var times = rows.SelectMany(r => r.Values.Where(x => x.Events > 0).Select(x => x.Time)).Distinct().Order()
            .ToList();
        if (times.Count == 0) return null;
        var observed = new double[k];
        var expected = new double[k];
        var variance = Matrix<double>.Build.Dense(k, k);
        var atRisk = new double[k];
        var deaths = new double[k];
        foreach (var t in times)
        {
            for (var g = 0; g < k; g++)
            {
                var row = rows[g].GetValueOrDefault(t);
                atRisk[g] = row.AtRisk;
                deaths[g] = Math.Clamp(row.Events, 0, row.AtRisk);
            }
            Accumulate(atRisk, deaths, observed, expected, variance);
        }
        return Finish(observed, expected, variance);
    }

    /// <summary>One event time's hypergeometric expectation and covariance, added in.</summary>
    private static void Accumulate(
        double[] atRisk, double[] deaths, double[] observed, double[] expected, Matrix<double> variance)
    {
        var k = atRisk.Length;
        var n = atRisk.Sum();
        var d = deaths.Sum();
        if (n == 0 || d == 0) return;
        for (var g = 0; g < k; g++)
        {
            observed[g] += deaths[g];
            expected[g] += d * atRisk[g] / n;
        }
        if (n < 2) return;
        var factor = d * (n - d) / (n * n * (n - 1));
        // Only groups with someone at risk add anything (the others' terms are zero): with 50 states and thousands
        // of event times, the full k x k sweep through the matrix's indexer was most of the test's time.
        var present = new List<int>(k);
        for (var g = 0; g < k; g++)
            if (atRisk[g] != 0) present.Add(g);
        foreach (var g in present)
        foreach (var h in present)
            variance[g, h] += factor * atRisk[g] * ((g == h ? n : 0) - atRisk[h]);
    }

    private static LogRankResult? Finish(double[] observed, double[] expected, Matrix<double> variance)
    {
        var k = observed.Length;
        // A group with no expected events (nobody in it at risk at any event time) carries no information and
        // makes V singular: survdiff leaves such groups out and tests the rest on (groups left - 1) df.
        var tested = Enumerable.Range(0, k).Where(g => expected[g] > 0).ToArray();
        var df = tested.Length - 1;
        if (df < 1) return null;
        // V has rank df (its rows sum to zero): drop one tested group, the last.
        var kept = tested[..^1];
        var diff = Vector<double>.Build.Dense(df, i => observed[kept[i]] - expected[kept[i]]);
        var v = Matrix<double>.Build.Dense(df, df, (i, j) => variance[kept[i], kept[j]]);
        if (v.Determinant() <= 1e-12) return new LogRankResult(0, df, 1, observed, expected);
        var chi = diff.DotProduct(v.Solve(diff));
        var p = 1 - ChiSquared.CDF(df, chi);
        return new LogRankResult(chi, df, Math.Clamp(p, 0, 1), observed, expected);
    }
}

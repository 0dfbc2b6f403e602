using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Trajectories.Survival;

public sealed record LogRankResult(
    double ChiSquare, int DegreesOfFreedom, double P, IReadOnlyList<double> Observed, IReadOnlyList<double> Expected);

/// <summary>
/// The log-rank test of equal survival across groups (R's survdiff, rho = 0): at each event time the hypergeometric
/// expectation and covariance of events per group; chi-square = (O - E)' V⁻ (O - E) on the first k - 1 groups.
/// Delayed entry is honoured through the same at-risk rule as <see cref="KaplanMeier"/>.
/// </summary>
public static class LogRank
{
    /// <summary>Null when fewer than two groups have anyone in them, or no event happened at all.</summary>
    public static LogRankResult? Test(IReadOnlyList<IReadOnlyCollection<Observation>> groups)
    {
        var present = groups.Where(g => g.Count > 0).ToList();
        var k = present.Count;
        if (k < 2) return null;

        var observed = new double[k];
        var expected = new double[k];
        var variance = Matrix<double>.Build.Dense(k, k);
        var times = present.SelectMany(g => g.Where(o => o.Event).Select(o => o.Exit)).Distinct().Order().ToList();
        if (times.Count == 0) return null;

        var atRisk = new double[k];
        var deaths = new double[k];
        var risks = present.Select(g => new RiskSet(g)).ToArray();
        var eventsAt = present.Select(g => g.Where(o => o.Event && (o.Entry is not { } e || e < o.Exit))
            .GroupBy(o => o.Exit).ToDictionary(x => x.Key, x => x.Count())).ToArray();
        foreach (var t in times)
        {
            for (var g = 0; g < k; g++)
            {
                atRisk[g] = risks[g].AtRisk(t);
                deaths[g] = eventsAt[g].GetValueOrDefault(t);
            }
            var n = atRisk.Sum();
            var d = deaths.Sum();
            if (n == 0 || d == 0) continue;
            for (var g = 0; g < k; g++)
            {
                observed[g] += deaths[g];
                expected[g] += d * atRisk[g] / n;
            }
            if (n < 2) continue;
            var factor = d * (n - d) / (n * n * (n - 1));
            for (var g = 0; g < k; g++)
            for (var h = 0; h < k; h++)
                variance[g, h] += factor * atRisk[g] * ((g == h ? n : 0) - atRisk[h]);
        }

        // V has rank k - 1 (its rows sum to zero): drop the last group.
        var diff = Vector<double>.Build.Dense(k - 1, i => observed[i] - expected[i]);
        var v = variance.SubMatrix(0, k - 1, 0, k - 1);
        if (v.Determinant() <= 1e-12) return new LogRankResult(0, k - 1, 1, observed, expected);
        var chi = diff.DotProduct(v.Solve(diff));
        var p = 1 - ChiSquared.CDF(k - 1, chi);
        return new LogRankResult(chi, k - 1, Math.Clamp(p, 0, 1), observed, expected);
    }
}

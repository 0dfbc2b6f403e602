using MathNet.Numerics.Distributions;

namespace Trajectories.Retention.Disclosure;

/// <summary>
/// A mean with its 95% interval (t with n − 1 degrees of freedom), from a count, a sum and a sum of squares: the exact
/// ones, or, for analysts, protected ones (<see cref="Protect"/>), so the published mean and interval come from
/// protected figures only.
/// </summary>
public sealed record MeanEstimate(int People, double Mean, double? Lower, double? Upper)
{
    public static MeanEstimate? From(int n, double sum, double squares, double min, double max)
    {
        if (n <= 0) return null;
        var mean = Math.Clamp(sum / n, min, max);
        if (n < 2) return new MeanEstimate(n, mean, null, null);
        var variance = Math.Max(0, (squares - sum * sum / n) / (n - 1));
        var half = StudentT.InvCDF(0, 1, n - 1, 0.975) * Math.Sqrt(variance / n);
        return new MeanEstimate(n, mean, Math.Max(min, mean - half), Math.Min(max, mean + half));
    }

    /// <summary>
    /// The cell key method for magnitudes (ABS TableBuilder perturbs a cell's sum by a multiple of its contributors'
    /// largest possible value). The count is protected as every count is. The sum moves by 3 × (d + e + u) and the
    /// sum of squares about the scale's midpoint (each person's term between 0 and 9 on a 0-6 score) by
    /// 2.25 × (d + e + u): d and e the count's two perturbation parts and u uniform in (−1, 1), each drawn at a key of
    /// its own (the cell key mixed with a salt; the release part new in every release). One perturbation of the sum
    /// has a standard deviation of 4.75, so the difference of two cells a person apart is that person's score ± 6.7
    /// or so, with no lattice of candidates (u fills it in): not recoverable, while a mean over 100 people moves by
    /// about 0.05. The noise is keyed by the contributions (<paramref name="valueKey"/>: the sum of each contributor's
    /// record key mixed with the scale and their value, <see cref="ContributionKey"/>), not by the people alone: a
    /// hostile review found that with one key per set of people the three scales of a cell had the same noise (their
    /// differences were exact, and two cells a person apart gave that person's three scores), and a cell whose people
    /// stayed while one value changed (another as-of date) gave the change exactly. Published means and limits are
    /// rounded to two decimals, so no exact algebra survives either. The interval is computed from what is published,
    /// its error including the perturbations' known variances (of the sum and of the count); where the perturbed
    /// spread is too uncertain to give one (under three of its noise's standard deviations, about 11 on a 0-6 score),
    /// none is given. Null when the protected count is under the minimum cell size.
    /// </summary>
    public static MeanEstimate? Protect(
        PerturbationTable table, int n, double sum, double squares, uint cellKey, uint valueKey, double min,
        double max)
    {
        var people = table.Protect(n, cellKey);
        if (table.Show(people) is null) return null;
        var half = (max - min) / 2;
        var centre = (min + max) / 2;
        var sumNoise = half * Noise(table, valueKey, 0x6d65616e);
        var spread = squares - 2 * centre * sum + n * centre * centre
                     + half * half / 4 * Noise(table, valueKey, 0x73717561);
        var mean = Math.Round(Math.Clamp((sum + sumNoise) / people, min, max), 2);
        var centred = spread - people * (mean - centre) * (mean - centre);
        if (people < 2 || centred < 3 * half * half / 4 * NoiseSd) return new MeanEstimate(people, mean, null, null);
        var variance = centred / (people - 1);
        // The published mean is (sum + its noise) / (count + its noise): both noises' variances, by the delta method.
        var error = Math.Sqrt(variance / people
                              + (half * half * NoiseSd * NoiseSd + mean * mean * (NoiseSd * NoiseSd - 1.0 / 3))
                              / ((double)people * people));
        var width = StudentT.InvCDF(0, 1, people - 1, 0.975) * error;
        return new MeanEstimate(people, mean, Math.Round(Math.Max(min, mean - width), 2),
            Math.Round(Math.Min(max, mean + width), 2));
    }

    /// <summary>
    /// One contribution's key for the noise of a magnitude: the contributor's record key mixed with the scale (so a
    /// cell's scales get independent noise) and the value (so a changed value gives the cell a new noise).
    /// </summary>
    public static uint ContributionKey(uint recordKey, uint scale, double value) => PerturbationTable.Mix(
        PerturbationTable.Mix(recordKey, 0x7363616c + scale), unchecked((uint)(long)Math.Round(value * 1e6)));

    /// <summary>
    /// d + e + u: d and e are whole numbers, so alone they would put the difference of two cells on a lattice (the
    /// true value plus a multiple of the step), leaving a few candidates for a person's score; u, uniform in (−1, 1)
    /// from a key of its own, fills the lattice in.
    /// </summary>
    private static double Noise(PerturbationTable table, uint cellKey, uint salt)
    {
        const int large = 1000;   // the table for counts of 3 or more, its release part not cut by the count
        return table.Protect(large, PerturbationTable.Mix(cellKey, salt)) - large
               + (PerturbationTable.Mix(cellKey, salt ^ 0x756e6966) + 0.5) / 4294967296.0 * 2 - 1;
    }

    /// <summary>The standard deviation of d + e + u (about √(1.28 + 0.89 + 1/3)), from the tables themselves.</summary>
    public static readonly double NoiseSd = Math.Sqrt(
        PerturbationTable.Distribution(1000).Sum(kv => kv.Value * kv.Key * kv.Key)
        + PerturbationTable.ReleaseDistribution(1000).Sum(kv => kv.Value * kv.Key * kv.Key) + 1.0 / 3);
}

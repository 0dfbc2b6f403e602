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
    /// largest possible value): the count is protected as every count is; the sum moves by 3 × (d + e + u) and the sum
    /// of squares by 18 × (d + e + u), d and e the count's two perturbation parts and u uniform in (−1, 1), each drawn
    /// at a key of its own (the cell key mixed with a salt; the release part new in every release), so one
    /// perturbation of a sum has a standard deviation of about 4.6 on a 0-6 score. The difference of two cells a
    /// person apart is then that person's score ± 6.5 or so, with no lattice of candidates: not recoverable, while a
    /// mean over 100 people moves by about 0.05. Returns null when the protected count is under the minimum cell
    /// size.
    /// </summary>
    public static MeanEstimate? Protect(
        PerturbationTable table, int n, double sum, double squares, uint cellKey, double min, double max)
    {
        var people = table.Protect(n, cellKey);
        if (table.Show(people) is null) return null;
        const int large = 1000;   // the table for counts of 3 or more, its release part not cut by the count
        // d + e are whole numbers: alone they would put the difference of two cells on a lattice (the true value
        // plus a multiple of the step), leaving a few candidates for a person's score. A uniform part the width of
        // one step, from a key of its own, fills the lattice in.
        double Noise(uint salt) => table.Protect(large, PerturbationTable.Mix(cellKey, salt)) - large
            + (PerturbationTable.Mix(cellKey, salt ^ 0x756e6966) + 0.5) / 4294967296.0 * 2 - 1;
        var scale = max - min;
        return From(people, sum + scale / 2 * Noise(0x6d65616e), squares + scale * scale / 2 * Noise(0x73717561),
            min, max);
    }
}

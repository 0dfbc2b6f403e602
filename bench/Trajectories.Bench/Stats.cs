namespace Trajectories.Bench;

/// <summary>Percentiles by the nearest-rank method on sorted samples.</summary>
public static class Stats
{
    public static double Percentile(IReadOnlyList<double> samples, double p)
    {
        if (samples.Count == 0) return double.NaN;
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double Median(IReadOnlyList<double> values) => Percentile(values, 50);
}

/// <summary>One row of the results table: a figure measured over several runs.</summary>
public sealed record Figure(
    string Name, string Size, IReadOnlyList<double> Runs, string Unit, string? Baseline = null, string? Goal = null,
    bool? Met = null, string? Note = null)
{
    public double Median => Stats.Median(Runs);
    public double Min => Runs.Count == 0 ? double.NaN : Runs.Min();
    public double Max => Runs.Count == 0 ? double.NaN : Runs.Max();
}

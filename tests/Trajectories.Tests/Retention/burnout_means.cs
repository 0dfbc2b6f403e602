using Trajectories.Retention.Disclosure;

namespace Trajectories.Tests.Retention;

/// <summary>Means of burnout scores with t intervals, and their protection for analysts (ADR 14, magnitudes).</summary>
public class burnout_means
{
    private static readonly double[] Scores = [1.2, 2.5, 3.1, 4.0, 2.2, 5.6, 0.4];

    [Fact]
    public void the_mean_and_its_interval_are_rs_t_test()
    {
        // R: t.test(c(1.2, 2.5, 3.1, 4.0, 2.2, 5.6, 0.4))
        var m = MeanEstimate.From(Scores.Length, Scores.Sum(), Scores.Sum(x => x * x), 0, 6)!;
        Assert.Equal(2.714285714286, m.Mean, 1e-9);
        Assert.Equal(1.108469592459, m.Lower!.Value, 1e-9);
        Assert.Equal(4.320101836113, m.Upper!.Value, 1e-9);
        Assert.Null(MeanEstimate.From(1, 3, 9, 0, 6)!.Lower);
        Assert.Null(MeanEstimate.From(0, 0, 0, 0, 6));
    }

    [Fact]
    public void a_protected_mean_stays_close_but_a_difference_of_two_cells_does_not_give_a_persons_score()
    {
        var random = new Random(17);
        var table = new PerturbationTable(11, release: 7);
        var values = Enumerable.Range(0, 101).Select(_ => Math.Round(random.NextDouble() * 6, 1)).ToArray();
        var errors = new List<double>();
        var sumErrors = new List<double>();
        var recovered = new List<double>();
        for (var trial = 0; trial < 2000; trial++)
        {
            var keys = values.Select(_ => (uint)random.NextInt64(0, 1L << 32)).ToArray();
            var without = values[..100];
            var big = MeanEstimate.Protect(table, 101, values.Sum(), values.Sum(x => x * x), CellKey.Of(keys),
                ValueKey(keys, values, 0), 0, 6)!;
            var small = MeanEstimate.Protect(table, 100, without.Sum(), without.Sum(x => x * x),
                CellKey.Of(keys[..100]), ValueKey(keys[..100], without, 0), 0, 6)!;
            errors.Add(big.Mean - values.Average());
            sumErrors.Add(big.Mean * big.People - values.Sum());
            // The attacker's reading of the 101st person's score: the difference of the two published sums.
            recovered.Add(big.Mean * big.People - small.Mean * small.People - values[100]);
        }
        Assert.InRange(errors.Average(), -0.01, 0.01);
        // The sum's perturbation has the spread the interval assumes: 3 × NoiseSd.
        var sumSd = Math.Sqrt(sumErrors.Average(e => e * e)) / 3;
        Assert.InRange(sumSd, MeanEstimate.NoiseSd * 0.9, MeanEstimate.NoiseSd * 1.1);
        Assert.True(errors.Max(Math.Abs) < 0.4, $"largest error {errors.Max(Math.Abs)}");
        var sd = Math.Sqrt(recovered.Average(x => x * x));
        Assert.True(sd > 4, $"the difference reads the score within {sd:F2}");
        Assert.True(recovered.Count(x => Math.Abs(x) < 0.05) < 0.05 * recovered.Count);
    }

    [Fact]
    public void a_protected_interval_covers_the_truth_about_as_often_as_it_says()
    {
        var random = new Random(5);
        var table = new PerturbationTable(11, release: 3);
        int covered = 0, given = 0;
        for (var trial = 0; trial < 2000; trial++)
        {
            // 150 people whose scores vary as the seeds' do (sd about 0.9 around 2.5).
            var values = Enumerable.Range(0, 150)
                .Select(_ => Math.Clamp(2.5 + 0.9 * Normal(random), 0, 6)).ToArray();
            var key = (uint)random.NextInt64(0, 1L << 32);
            var m = MeanEstimate.Protect(table, values.Length, values.Sum(), values.Sum(x => x * x), key,
                PerturbationTable.Mix(key, 1), 0, 6)!;
            if (m.Lower is null) continue;
            given++;
            if (m.Lower <= 2.5 && 2.5 <= m.Upper) covered++;
        }
        Assert.True(given > 1900, $"{given} intervals given");
        Assert.InRange((double)covered / given, 0.92, 0.98);
    }

    [Fact]
    public void the_scales_of_one_cell_and_a_cell_whose_value_changed_get_noise_of_their_own()
    {
        // The review's attacks: three scales of the same people, and the same people with one value changed.
        var random = new Random(11);
        var table = new PerturbationTable(11, release: 2);
        int sameAcrossScales = 0, sameAfterChange = 0;
        for (var trial = 0; trial < 500; trial++)
        {
            var keys = Enumerable.Range(0, 40).Select(_ => (uint)random.NextInt64(0, 1L << 32)).ToArray();
            var values = keys.Select(_ => Math.Round(random.NextDouble() * 6, 1)).ToArray();
            double Sum(double[] v, int scale) => MeanEstimate.Protect(table, 40, v.Sum(), v.Sum(x => x * x),
                CellKey.Of(keys), ValueKey(keys, v, scale), 0, 6)!.Mean;
            // The same values under two scales: their published means' noise must differ.
            if (Math.Abs(Sum(values, 0) - Sum(values, 1)) < 1e-9) sameAcrossScales++;
            var changed = values.ToArray();
            changed[0] = changed[0] >= 3 ? changed[0] - 1 : changed[0] + 1;
            // The published means' difference must not be the true change (one point over the count) exactly.
            var people = MeanEstimate.Protect(table, 40, 0, 0, CellKey.Of(keys), 0, 0, 6)!.People;
            if (Math.Abs(Math.Abs(Sum(changed, 0) - Sum(values, 0)) - 1.0 / people) < 0.005) sameAfterChange++;
        }
        Assert.True(sameAcrossScales < 50, $"{sameAcrossScales} of 500 cells had one noise for two scales");
        Assert.True(sameAfterChange < 50, $"{sameAfterChange} of 500 changes read off exactly");
    }

    [Fact]
    public void the_same_contributions_always_get_the_same_answer()
    {
        var table = new PerturbationTable(11, release: 9);
        uint[] keys = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        var values = keys.Select(k => k % 6 + 0.5).ToArray();
        var first = MeanEstimate.Protect(table, 12, values.Sum(), values.Sum(x => x * x), CellKey.Of(keys),
            ValueKey(keys, values, 2), 0, 6);
        var again = MeanEstimate.Protect(table, 12, values.Sum(), values.Sum(x => x * x), CellKey.Of(keys.Reverse()),
            ValueKey(keys.Reverse().ToArray(), values.Reverse().ToArray(), 2), 0, 6);
        Assert.Equal(first, again);
    }

    private static uint ValueKey(uint[] keys, double[] values, int scale) =>
        CellKey.Of(keys.Zip(values).Select(x => MeanEstimate.ContributionKey(x.First, (uint)scale, x.Second)));

    private static double Normal(Random r) =>
        Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}

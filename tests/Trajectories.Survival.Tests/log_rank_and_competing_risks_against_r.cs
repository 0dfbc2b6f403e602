namespace Trajectories.Survival.Tests;

public class log_rank_and_competing_risks_against_r
{
    [Theory]
    [InlineData("aml", "aml.csv")]
    [InlineData("lung", "lung.csv")]
    // A group all censored before the first event: no expected events, left out of the test as survdiff does.
    [InlineData("aml_late", "aml_late.csv")]
    [InlineData("lung_late", "lung_late.csv")]
    public void the_log_rank_test_matches_survdiff(string dataset, string file)
    {
        var groups = Reference.Observations(file).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (IReadOnlyCollection<Observation>)g.Value).ToList();
        var result = LogRank.Test(groups)!;
        var want = Reference.Read("logrank.csv").Single(r => r["dataset"] == dataset);
        Assert.Equal(want.Num("chisq"), result.ChiSquare, 1e-8);
        Assert.Equal((int)want.Num("df"), result.DegreesOfFreedom);
        Assert.Equal(want.Num("p"), result.P, 1e-10);
    }

    [Fact]
    public void aalen_johansen_matches_survfit_on_mgus2_and_sums_to_one()
    {
        var input = Reference.Read("mgus2.csv")
            .Select(r => new CompetingObservation(r.Num("time"), r["cause"] == "" ? null : r["cause"])).ToList();
        var curve = AalenJohansen.Estimate(input);
        var expected = Reference.Read("aj_mgus2.csv");
        // R lists the times where something happened; we list every time too (the same set for this data).
        Assert.Equal(expected.Count, curve.Points.Count);
        foreach (var (want, got) in expected.Zip(curve.Points))
        {
            Assert.Equal(want.Num("time"), got.Time);
            Assert.Equal((int)want.Num("n_risk"), got.AtRisk);
            Assert.Equal(want.Num("survival"), got.Survival, 1e-9);
            Assert.Equal(want.Num("pcm"), got.Incidence["pcm"], 1e-9);
            Assert.Equal(want.Num("death"), got.Incidence["death"], 1e-9);
            Assert.Equal(1.0, got.Survival + got.Incidence.Values.Sum(), 12);
        }
    }
}

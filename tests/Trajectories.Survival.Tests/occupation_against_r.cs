namespace Trajectories.Survival.Tests;

/// <summary>
/// Multi-state occupation probabilities against R's survfit(Surv(tstart, tstop, state) ~ 1, id, istate,
/// influence = TRUE) on a generated set of careers (tests/reference/survival-reference.R, section 7).
/// </summary>
public class occupation_against_r
{
    private static readonly string[] States = ["peer", "other", "notEmployed", "paused", "lost"];

    public static List<StateEpisode> Careers() => Reference.Read("multistate.csv").Select(r => new StateEpisode(
        (int)r.Num("id"), r.Num("tstart"), r.Num("tstop"), Array.IndexOf(States, r["from"]),
        r["to"] == "" ? null : Array.IndexOf(States, r["to"]))).ToList();

    [Fact]
    public void the_probabilities_errors_intervals_and_at_risk_counts_equal_survfits()
    {
        var curve = Occupation.Estimate(States, Careers());
        var expected = Reference.Read("multistate_pstate.csv");
        Assert.Equal(expected.Count, curve.Points.Count);
        foreach (var (want, got) in expected.Zip(curve.Points))
        {
            Assert.Equal(want.Num("time"), got.Time);
            for (var j = 0; j < States.Length; j++)
            {
                var s = States[j];
                Assert.Equal(want.Num("p_" + s), got.Probability[j], 1e-9);
                Assert.Equal(want.Num("se_" + s), got.StdErr[j], 1e-9);
                Assert.Equal((int)want.Num("n_" + s), got.AtRisk[j]);
                AssertClose(want.NumOrNull("lower_" + s), got.Lower[j]);
                AssertClose(want.NumOrNull("upper_" + s), got.Upper[j]);
            }
            Assert.Equal(1.0, got.Probability.Sum(), 12);
        }
    }

    [Fact]
    public void the_log_log_intervals_equal_survfits()
    {
        var curve = Occupation.Estimate(States, Careers(), transform: CiTransform.LogLog);
        foreach (var (want, got) in Reference.Read("multistate_pstate.csv").Zip(curve.Points))
            for (var j = 0; j < States.Length; j++)
            {
                AssertClose(want.NumOrNull("lowerll_" + States[j]), got.Lower[j]);
                AssertClose(want.NumOrNull("upperll_" + States[j]), got.Upper[j]);
            }
    }

    [Fact]
    public void the_initial_distribution_and_its_error_equal_survfits_p0_and_sp0()
    {
        var curve = Occupation.Estimate(States, Careers());
        foreach (var row in Reference.Read("multistate_p0.csv"))
        {
            var j = Array.IndexOf(States, row["state"]);
            Assert.Equal(row.Num("p0"), curve.Initial[j], 1e-9);
            Assert.Equal(row.Num("sp0"), curve.InitialStdErr[j], 1e-9);
        }
    }

    [Fact]
    public void from_its_own_life_table_the_estimate_has_the_same_probabilities()
    {
        var careers = Careers();
        var exact = Occupation.Estimate(States, careers);
        var t0 = careers.Where(e => e.To is not null).Min(e => e.Stop);
        var initial = States.Select((_, j) => careers.Count(e => e.Start < t0 && e.Stop >= t0 && e.From == j))
            .ToList();
        var rows = careers.Where(e => e.To is not null).Select(e => e.Stop).Distinct().Order().Select(t =>
            new OccupationRow(t,
                States.Select((_, j) => careers.Count(e => e.Start < t && e.Stop >= t && e.From == j)).ToList(),
                States.Select((_, j) => (IReadOnlyList<int>)States.Select((_, to) =>
                    careers.Count(e => e.Stop == t && e.From == j && e.To == to)).ToList()).ToList())).ToList();
        var counted = Occupation.FromCounts(States, initial, rows);
        foreach (var p in counted.Points)
        {
            var want = exact.At(p.Time)!;
            for (var j = 0; j < States.Length; j++) Assert.Equal(want.Probability[j], p.Probability[j], 1e-12);
        }
        Assert.Equal(exact.InitialStdErr, counted.InitialStdErr.Select(x => x), new Tolerance(1e-12));
    }

    [Fact]
    public void with_two_states_the_life_table_error_is_greenwoods()
    {
        var input = Reference.Observations("aml.csv")["Maintained"];
        var km = KaplanMeier.Estimate(input);
        var rows = km.Points.Select(p => new OccupationRow(p.Time, [p.AtRisk, 0],
            [[0, p.Events], [0, 0]])).ToList();
        var curve = Occupation.FromCounts(["in", "out"], [input.Count, 0], rows);
        foreach (var (p, s) in curve.Points.Zip(km.Points))
        {
            Assert.Equal(s.Survival, p.Probability[0], 1e-12);
            if (s.StdErrLog is { } log) Assert.Equal(log * s.Survival, p.StdErr[0], 1e-12);
        }
    }

    private sealed class Tolerance(double within) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= within;
        public int GetHashCode(double obj) => 0;
    }

    private static void AssertClose(double? want, double? got)
    {
        if (want is null) Assert.Null(got);
        else Assert.Equal(want.Value, got!.Value, 1e-9);
    }
}

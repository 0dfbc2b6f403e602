namespace Trajectories.Survival.Tests;

/// <summary>
/// The life-table forms of Kaplan-Meier and the log-rank test (used on protected counts) give exactly what the
/// R-checked estimators give when the rows are the data's own distinct times.
/// </summary>
public class estimates_from_counts
{
    /// <summary>A data set's rows: at each distinct exit time, at risk, events and censored.</summary>
    private static List<CountRow> Rows(IReadOnlyCollection<Observation> data)
    {
        var curve = KaplanMeier.Estimate(data);
        return curve.Points.Select(p => new CountRow(p.Time, p.AtRisk, p.Events, p.Censored)).ToList();
    }

    [Theory]
    [InlineData("aml.csv")]
    [InlineData("lung.csv")]
    [InlineData("aml_late.csv")]
    public void kaplan_meier_from_the_rows_of_a_data_set_is_its_kaplan_meier(string file)
    {
        foreach (var (_, data) in Reference.Observations(file))
        {
            var want = KaplanMeier.Estimate(data);
            var got = KaplanMeier.FromCounts(data.Count, Rows(data));
            Assert.Equal(want.Points.Count, got.Points.Count);
            foreach (var (w, g) in want.Points.Zip(got.Points))
            {
                Assert.Equal(w.Time, g.Time);
                Assert.Equal(w.Survival, g.Survival, 12);
                Assert.Equal(w.Lower ?? -1, g.Lower ?? -1, 12);
                Assert.Equal(w.Upper ?? -1, g.Upper ?? -1, 12);
            }
            Assert.Equal(want.Median(), got.Median());
        }
    }

    [Theory]
    [InlineData("aml.csv")]
    [InlineData("lung.csv")]
    [InlineData("aml_late.csv")]
    [InlineData("lung_late.csv")]
    public void the_log_rank_test_from_rows_is_the_log_rank_test(string file)
    {
        var groups = Reference.Observations(file).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (IReadOnlyCollection<Observation>)g.Value).ToList();
        var want = LogRank.Test(groups)!;
        var got = LogRank.FromCounts(groups.Select(g => (IReadOnlyList<CountRow>)AllTimes(g, groups)).ToList())!;
        Assert.Equal(want.ChiSquare, got.ChiSquare, 9);
        Assert.Equal(want.DegreesOfFreedom, got.DegreesOfFreedom);
        Assert.Equal(want.P, got.P, 10);
    }

    /// <summary>A group's rows at every event time of any group (at risk there, its own events).</summary>
    private static List<CountRow> AllTimes(
        IReadOnlyCollection<Observation> group, IEnumerable<IReadOnlyCollection<Observation>> all)
    {
        var times = all.SelectMany(g => g.Where(o => o.Event).Select(o => o.Exit)).Distinct().Order();
        return times.Select(t => new CountRow(t, group.Count(o => o.AtRiskAt(t)),
            group.Count(o => o.Event && o.Exit == t && (o.Entry is not { } e || e < t)), 0)).ToList();
    }
}

public class aalen_johansen_from_counts
{
    [Fact]
    public void from_the_rows_of_mgus2_it_is_the_aalen_johansen_estimate_r_checked()
    {
        var input = Reference.Read("mgus2.csv")
            .Select(r => new CompetingObservation(r.Num("time"), r["cause"] == "" ? null : r["cause"])).ToList();
        var want = AalenJohansen.Estimate(input);
        var rows = want.Points.Select(p => new CompetingRow(p.Time, p.AtRisk, p.Events, p.Censored)).ToList();
        var got = AalenJohansen.FromCounts(input.Count, want.Causes, rows);
        Assert.Equal(want.Points.Count, got.Points.Count);
        foreach (var (w, g) in want.Points.Zip(got.Points))
        {
            Assert.Equal(w.Survival, g.Survival, 12);
            foreach (var c in want.Causes) Assert.Equal(w.Incidence[c], g.Incidence[c], 12);
        }
    }
}

namespace Trajectories.Survival.Tests;

/// <summary>The cases reference data rarely covers, each worked out by hand.</summary>
public class edge_cases
{
    [Fact]
    public void an_empty_group_gives_an_empty_curve_without_a_median()
    {
        var curve = KaplanMeier.Estimate([]);
        Assert.Equal(0, curve.N);
        Assert.Empty(curve.Points);
        Assert.Equal(new Median(null, null, null), curve.Median());
        Assert.Null(curve.At(10));
    }

    [Fact]
    public void all_censored_stays_at_one_with_no_median()
    {
        var curve = KaplanMeier.Estimate([new(5, false), new(10, false), new(10, false)]);
        Assert.All(curve.Points, p => Assert.Equal((1.0, 1.0, 1.0), (p.Survival, p.Lower!.Value, p.Upper!.Value)));
        Assert.Equal(0, curve.Events);
        Assert.Equal(3, curve.Censored);
        Assert.Null(curve.Median().Time);
    }

    [Fact]
    public void a_single_person_with_an_event_drops_to_zero_with_an_undefined_interval()
    {
        var curve = KaplanMeier.Estimate([new(7, true)]);
        var p = Assert.Single(curve.Points);
        Assert.Equal((7.0, 1, 1, 0.0), (p.Time, p.AtRisk, p.Events, p.Survival));
        Assert.Null(p.Lower);
        Assert.Null(p.Upper);
        Assert.Null(p.StdErrLog);
        Assert.Equal(7, curve.Median().Time);
    }

    [Fact]
    public void someone_censored_at_an_event_time_is_still_at_risk_then()
    {
        // n = 3 at t = 4: one event, one censored at the same time. S(4) = 1 - 1/3.
        var curve = KaplanMeier.Estimate([new(4, true), new(4, false), new(9, true)]);
        Assert.Equal(3, curve.Points[0].AtRisk);
        Assert.Equal(2.0 / 3, curve.Points[0].Survival, 12);
        Assert.Equal(1, curve.Points[1].AtRisk);
        Assert.Equal(0, curve.Points[1].Survival);
    }

    [Fact]
    public void a_curve_exactly_at_one_half_takes_the_midpoint_as_median()
    {
        // S = 0.5 from t = 2 until the next event at t = 6: median = 4 (R's rule).
        var curve = KaplanMeier.Estimate([new(1, true), new(2, true), new(3, false), new(6, true)]);
        Assert.Equal(0.5, curve.At(2)!.Survival, 12);
        Assert.Equal(4, curve.Median().Time);
    }

    [Fact]
    public void a_late_entrant_is_not_at_risk_before_entry_and_is_counted_from_the_day_after()
    {
        var curve = KaplanMeier.Estimate([new(3, true), new(10, true, Entry: 5), new(12, false)]);
        Assert.Equal(2, curve.Points.Single(p => p.Time == 3).AtRisk);
        Assert.Equal(2, curve.Points.Single(p => p.Time == 10).AtRisk);
    }

    [Fact]
    public void reading_the_curve_between_and_beyond_points()
    {
        var curve = KaplanMeier.Estimate([new(10, true), new(20, true), new(30, false), new(40, false)]);
        Assert.Equal(1, curve.At(5)!.Survival);
        Assert.Equal(0.75, curve.At(15)!.Survival, 12);
        Assert.Equal(0.5, curve.At(40)!.Survival, 12);
        Assert.Null(curve.At(41));
    }

    [Fact]
    public void log_rank_needs_two_non_empty_groups_and_an_event()
    {
        Assert.Null(LogRank.Test([[new(1, true)], []]));
        Assert.Null(LogRank.Test([[new(1, false)], [new(2, false)]]));
        var same = LogRank.Test([[new(1, true), new(2, true)], [new(1, true), new(2, true)]])!;
        Assert.Equal(0, same.ChiSquare, 12);
        Assert.Equal(1, same.P, 12);
    }

    [Fact]
    public void competing_risks_with_one_cause_is_one_minus_kaplan_meier()
    {
        var data = new CompetingObservation[] { new(2, "burnout"), new(3, null), new(5, "burnout"), new(8, null) };
        var aj = AalenJohansen.Estimate(data);
        var km = KaplanMeier.Estimate(data.Select(d => d.AnyCause).ToList());
        foreach (var (a, k) in aj.Points.Zip(km.Points)) Assert.Equal(1 - k.Survival, a.Incidence["burnout"], 12);
    }
}

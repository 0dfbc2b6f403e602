using Trajectories.Careers;
using Trajectories.Retention;
using Trajectories.Retention.Facts;
using Trajectories.Retention.Querying;
using static Trajectories.Tests.CareerSpec;

namespace Trajectories.Tests.Retention;

/// <summary>The conventions ADR 7 writes down for ties, pinned so that they cannot change unnoticed.</summary>
public class spell_and_cohort_conventions
{
    private static readonly Guid Second = Guid.Parse("00000000-0000-0000-0000-0000000000c3");

    [Fact]
    public void peer_jobs_ending_on_the_same_day_give_the_spell_the_reason_of_the_one_that_started_last()
    {
        var f = RetentionFacts.From(Given(Certified(), PeerHire("2022-03-01"), PeerHire("2022-06-01", Second),
            new Separated(Second, "position-cut", false, D("2023-01-01"), null),
            new Separated(PeerJob, "burnout", true, D("2023-01-01"), null)))!;
        Assert.Equal("position-cut", Assert.Single(f.PeerSpells).Reason);
    }

    [Fact]
    public void peer_jobs_starting_on_the_same_day_give_the_spell_the_tier_and_hours_of_the_one_hired_first()
    {
        var f = RetentionFacts.From(Given(Certified(), PeerHire("2022-03-01", tier: "Peer II", hours: 10),
            PeerHire("2022-03-01", Second, tier: "Peer I", hours: 40)))!;
        var spell = Assert.Single(f.PeerSpells);
        Assert.Equal(("Peer II", false), (spell.TierAtStart, spell.FullTimeAtStart));
    }

    [Fact]
    public void a_cohort_month_before_follow_up_began_is_not_observed()
    {
        var late = Certified("2022-01-10") with { ObservationStart = D("2022-10-01") };
        var person = RetentionFacts.From(Given(late))!;
        var query = new RetentionQuery(Measure.FirstPeerJob, null, new Dictionary<string, string>(), D("2025-06-01"),
            Trajectories.Survival.CiTransform.LogLog, false);
        var row = Assert.Single(GetCohortsEndpoint.Build(query, [person], new Suppression(1)).Cohorts);
        Assert.Equal([0, 1, 1, 1], row.Cells.Select(c => c.Observed ?? -1));
    }
}

using Trajectories.Careers;
using Trajectories.Careers.Hiring;
using static Trajectories.Tests.CareerSpec;

namespace Trajectories.Tests.Careers;

public class when_recording_a_hire
{
    private static Hire PeerJobOn(string on, Guid? jobId = null, string? tier = null) =>
        new(jobId, "Lane County Behavioral Health", "Peer Support Specialist", "peer", tier, 40, 19.50m, D(on));

    [Fact]
    public void appends_a_peer_hire_on_the_first_tier_of_the_ladder()
    {
        var hired = HireEndpoint.Decide(PeerJobOn("2022-03-01"), Given(Certified()), Ladder, Today, out var jobId)
            .Appends<Hired>();
        Assert.Equal("Peer I", hired.Tier);
        Assert.Equal(jobId, hired.JobId);
        Assert.Equal(D("2022-03-01"), hired.StartedOn);
    }

    [Fact]
    public void uses_the_ladder_spelling_of_a_tier() =>
        Assert.Equal(
            "Lead Peer",
            HireEndpoint.Decide(PeerJobOn("2022-03-01", tier: "lead peer"), Given(Certified()), Ladder, Today, out _)
                .Appends<Hired>().Tier);

    [Theory]
    [InlineData("Manager\u200B")]       // a zero-width space: "Manager" twice, as two tiers
    [InlineData("Tier\uFFFEnonchar")]   // a noncharacter: the chart's SVG download would not parse
    [InlineData("\u202Ereganam")]       // a bidirectional override: shown reversed
    [InlineData("Lead\uDBFF\uDFFF")]    // a noncharacter outside the first plane
    public void refuses_invisible_characters_and_noncharacters(string tier)
    {
        var other = new Hire(null, "Clinic", "Manager", "clinical", tier, 40, 30m, D("2022-03-01"));
        HireEndpoint.Decide(other, Given(Certified()), Ladder, Today, out _).Rejects("invalid-character", 400);
    }

    [Fact]
    public void keeps_the_joiners_scripts_need()
    {
        var other = new Hire(null, "Clinic", "Manager", "clinical", "می\u200Cخواهم", 40, 30m, D("2022-03-01"));
        HireEndpoint.Decide(other, Given(Certified()), Ladder, Today, out _).Appends<Hired>();
    }

    [Fact]
    public void rejects_a_tier_that_is_not_on_the_ladder() =>
        HireEndpoint.Decide(PeerJobOn("2022-03-01", tier: "Peer IX"), Given(Certified()), Ladder, Today, out _)
            .Rejects("unknown-tier", 400);

    [Fact]
    public void accepts_a_tier_from_a_configured_ladder() =>
        Assert.Equal("Peer Coach", HireEndpoint.Decide(PeerJobOn("2022-03-01", tier: "Peer Coach"), Given(Certified()),
            new CareerLadder(["Peer Associate", "Peer Coach"]), Today, out _).Appends<Hired>().Tier);

    [Fact]
    public void rejects_a_date_before_certification() =>
        HireEndpoint.Decide(PeerJobOn("2021-12-01"), Given(Certified("2022-01-10")), Ladder, Today, out _)
            .Rejects("before-certification", 409);

    [Fact]
    public void rejects_a_start_date_in_the_future() =>
        HireEndpoint.Decide(PeerJobOn(Today.AddDays(1).ToString("yyyy-MM-dd")), Given(Certified()),
                Ladder, Today, out _)
            .Rejects("future-date", 400);

    [Fact]
    public void names_every_missing_field()
    {
        var rejection = HireEndpoint.Decide(new Hire(null, null, null, null, null, null, null, null),
                Given(Certified()), Ladder, Today, out _)
            .Rejects("missing-field", 400);
        Assert.Equal(
            ["employer", "hourlyWage", "hoursPerWeek", "jobType", "startedOn", "title"],
            rejection.FieldErrors!.Keys.Order());
    }

    [Fact]
    public void rejects_hours_beyond_a_plausible_week() =>
        HireEndpoint.Decide(PeerJobOn("2022-03-01") with { HoursPerWeek = 120 }, Given(Certified()),
                Ladder, Today, out _)
            .Rejects("out-of-range", 400);

    [Fact]
    public void a_retried_hire_with_the_same_job_id_and_facts_appends_nothing()
    {
        var decision = HireEndpoint.Decide(PeerJobOn("2022-03-01", PeerJob), Given(Certified(), PeerHire("2022-03-01")),
            Ladder, Today, out _);
        Assert.True(decision.IsAccepted);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void rejects_a_different_hire_under_a_job_id_already_recorded() =>
        HireEndpoint.Decide(PeerJobOn("2022-04-01", PeerJob), Given(Certified(), PeerHire("2022-03-01")),
                Ladder, Today, out _)
            .Rejects("job-exists", 409);

    [Fact]
    public void a_second_concurrent_job_is_allowed() =>
        HireEndpoint.Decide(PeerJobOn("2022-06-01"), Given(Certified(), PeerHire("2022-03-01")), Ladder, Today, out _)
            .Appends<Hired>();
}

using Trajectories.Careers;
using Trajectories.Careers.ChangingWageOrHours;
using Trajectories.Careers.Promoting;
using static Trajectories.Tests.CareerSpec;

namespace Trajectories.Tests.Careers;

public class when_promoting
{
    [Fact]
    public void appends_the_new_tier_and_wage()
    {
        var promoted = PromoteEndpoint.Decide(new Promote(PeerJob, "peer ii", 21m, D("2023-03-01")),
                Given(Certified(), PeerHire()), Ladder, Today)
            .Appends<Promoted>();
        Assert.Equal(new Promoted(PeerJob, "Peer II", 21m, D("2023-03-01")), promoted);
    }

    [Fact]
    public void rejects_a_job_not_held_at_that_date_because_it_had_not_started() =>
        PromoteEndpoint.Decide(new Promote(PeerJob, "Peer II", null, D("2022-02-01")),
                Given(Certified(), PeerHire("2022-03-01")), Ladder, Today)
            .Rejects("job-not-held", 409);

    [Fact]
    public void rejects_a_job_not_held_at_that_date_because_it_had_ended() =>
        PromoteEndpoint.Decide(new Promote(PeerJob, "Peer II", null, D("2024-03-01")),
                Given(Certified(), PeerHire("2022-03-01"),
                    new Separated(PeerJob, "burnout", true, D("2024-02-29"), null)), Ladder, Today)
            .Rejects("job-not-held", 409);

    [Fact]
    public void rejects_a_job_the_person_never_held() =>
        PromoteEndpoint.Decide(new Promote(Guid.NewGuid(), "Peer II", null, D("2023-03-01")),
                Given(Certified(), PeerHire()), Ladder, Today)
            .Rejects("job-not-held", 409);

    [Fact]
    public void staff_may_not_promote_to_the_tier_the_job_already_has()
    {
        var given = Given(Certified(), PeerHire());
        PromoteEndpoint.Decide(new Promote(PeerJob, "peer i", null, D("2023-03-01")), given, Ladder, Today)
            .ForStaff(given).Rejects("same-tier", 409);
    }

    [Fact]
    public void nor_make_a_later_promotion_repeat_a_tier_with_a_late_one_before_it()
    {
        var given = Given(Certified(), PeerHire(), new Promoted(PeerJob, "Peer II", null, D("2022-06-01")));
        PromoteEndpoint.Decide(new Promote(PeerJob, "Peer II", null, D("2022-04-01")), given, Ladder, Today)
            .ForStaff(given).Rejects("same-tier", 409);
    }

    [Fact]
    public void an_integration_is_not_held_to_the_staffs_checks()
    {
        // What a source system says happened is recorded as it says (ADR 10); only StaffChecks refuse it.
        var given = Given(Certified(), PeerHire());
        PromoteEndpoint.Decide(new Promote(PeerJob, "Peer I", null, D("2023-03-01")), given, Ladder, Today)
            .Appends<Promoted>();
    }

    [Fact]
    public void a_stream_already_holding_a_same_tier_promotion_still_takes_new_events()
    {
        // Recorded before the check: a write is judged by the slips it adds, not by those already there.
        var given = Given(Certified(), PeerHire(), new Promoted(PeerJob, "Peer I", null, D("2022-06-01")));
        PromoteEndpoint.Decide(new Promote(PeerJob, "Peer II", 22m, D("2023-03-01")), given, Ladder, Today)
            .ForStaff(given).Appends<Promoted>();
    }

    [Fact]
    public void rejects_a_peer_tier_off_the_ladder() =>
        PromoteEndpoint.Decide(new Promote(PeerJob, "Archmage", null, D("2023-03-01")),
                Given(Certified(), PeerHire()), Ladder, Today)
            .Rejects("unknown-tier", 400);
}

public class when_changing_wage_or_hours
{
    [Fact]
    public void appends_new_hours_kept_under_a_benefit_limit()
    {
        var changed = ChangeWageOrHoursEndpoint.Decide(
            new ChangeWageOrHours(PeerJob, null, 18m, "SSDI earnings limit", D("2022-09-01")),
            Given(Certified(), PeerHire()), Today).Appends<WageOrHoursChanged>();
        Assert.Equal(18m, changed.HoursPerWeek);
        Assert.Null(changed.HourlyWage);
    }

    [Fact]
    public void rejects_a_change_that_changes_nothing() =>
        ChangeWageOrHoursEndpoint.Decide(new ChangeWageOrHours(PeerJob, null, null, "why", D("2022-09-01")),
                Given(Certified(), PeerHire()), Today)
            .Rejects("nothing-changed", 400);

    [Fact]
    public void rejects_a_job_not_held_at_that_date() =>
        ChangeWageOrHoursEndpoint.Decide(new ChangeWageOrHours(PeerJob, 25m, null, "raise", D("2022-01-20")),
                Given(Certified(), PeerHire("2022-03-01")), Today)
            .Rejects("job-not-held", 409);
}

using Trajectories.Careers;
using Trajectories.Careers.Certifying;
using Trajectories.Careers.CheckingIn;
using Trajectories.Careers.Crediting;
using Trajectories.Careers.LosingTouch;
using Trajectories.Careers.Pausing;
using Trajectories.Careers.Returning;
using static Trajectories.Tests.CareerSpec;

namespace Trajectories.Tests.Careers;

public class when_pausing
{
    [Fact]
    public void appends_a_disability_pause() =>
        StartPauseEndpoint.Decide(new StartPause("SSDI review", D("2023-06-01")), Given(Certified(), PeerHire()), Today)
            .Appends<DisabilityPauseStarted>();

    [Fact]
    public void rejects_a_second_pause_while_one_is_open() =>
        StartPauseEndpoint.Decide(new StartPause("again", D("2023-07-01")),
                Given(Certified(), new DisabilityPauseStarted("x", D("2023-06-01"))), Today)
            .Rejects("pause-already-open", 409);

    [Fact]
    public void rejects_ending_a_pause_that_is_not_open() =>
        EndPauseEndpoint.Decide(new EndPause(D("2023-08-01")), Given(Certified(), PeerHire()), Today)
            .Rejects("no-open-pause", 409);

    [Fact]
    public void rejects_ending_a_pause_before_it_started() =>
        EndPauseEndpoint.Decide(new EndPause(D("2023-05-01")),
                Given(Certified(), new DisabilityPauseStarted("x", D("2023-06-01"))), Today)
            .Rejects("no-open-pause", 409);

    [Fact]
    public void ends_an_open_pause() =>
        EndPauseEndpoint.Decide(new EndPause(D("2023-08-01")),
                Given(Certified(), new DisabilityPauseStarted("x", D("2023-06-01"))), Today)
            .Appends<DisabilityPauseEnded>();
}

public class when_returning_to_work
{
    [Fact]
    public void rejects_a_return_with_no_job_held() =>
        ReturnToWorkEndpoint.Decide(new ReturnToWork(D("2023-08-01"), null, null),
                Given(Certified(), new DisabilityPauseStarted("x", D("2023-06-01"))), Today)
            .Rejects("no-job-held", 409);

    [Fact]
    public void staff_may_not_record_a_return_with_no_pause_open()
    {
        var given = Given(Certified(), PeerHire());
        ReturnToWorkEndpoint.Decide(new ReturnToWork(D("2023-08-01"), PeerJob, null), given, Today)
            .ForStaff(given).Rejects("no-open-pause", 409);
    }

    [Fact]
    public void nor_a_return_dated_after_the_pause_it_would_end_was_closed()
    {
        var given = Given(Certified(), PeerHire(), new DisabilityPauseStarted("x", D("2023-06-01")),
            new ReturnedToWork(D("2023-08-01"), PeerJob, null));
        ReturnToWorkEndpoint.Decide(new ReturnToWork(D("2023-09-01"), PeerJob, null), given, Today)
            .ForStaff(given).Rejects("no-open-pause", 409);
    }

    [Fact]
    public void a_return_to_a_held_job_closes_the_pause()
    {
        var given = Given(Certified(), PeerHire(), new DisabilityPauseStarted("x", D("2023-06-01")));
        ReturnToWorkEndpoint.Decide(new ReturnToWork(D("2023-08-01"), PeerJob, null), given, Today)
            .Appends<ReturnedToWork>();
    }
}

public class when_following_certification_and_contact
{
    [Fact]
    public void rejects_a_lapse_of_a_lapsed_certification() =>
        LapseCertificationEndpoint.Decide(new LapseCertification(D("2024-06-01")),
                Given(Certified(), new CertificationLapsed(D("2024-01-10"))), Today)
            .Rejects("certification-already-lapsed", 409);

    [Fact]
    public void a_renewal_after_a_lapse_allows_a_later_lapse() =>
        LapseCertificationEndpoint.Decide(new LapseCertification(D("2026-01-10")),
                Given(Certified(), new CertificationLapsed(D("2024-01-10")),
                    new CertificationRenewed(D("2024-03-01"), D("2026-01-01"))), Today)
            .Appends<CertificationLapsed>();

    [Fact]
    public void rejects_a_renewal_expiring_before_it_starts() =>
        RenewCertificationEndpoint.Decide(new RenewCertification(D("2024-03-01"), D("2024-02-01")),
                Given(Certified()), Today)
            .Rejects("expiry-before-renewal", 400);

    [Fact]
    public void rejects_lost_to_follow_up_twice() =>
        MarkLostToFollowUpEndpoint.Decide(new MarkLostToFollowUp(D("2025-01-01"), null),
                Given(Certified(), new LostToFollowUp(D("2024-01-01"), null)), Today)
            .Rejects("already-lost-to-follow-up", 409);

    [Fact]
    public void rejects_burnout_scores_outside_the_inventory_scale() =>
        CheckInEndpoint.Decide(new CheckIn(D("2024-01-01"), "employed-peer", 7m, 1m, 5m), Given(Certified()), Today)
            .Rejects("out-of-range", 400);

    [Fact]
    public void records_a_credential() =>
        Assert.Equal(
            "CADC",
            EarnCredentialEndpoint.Decide(new EarnCredential("CADC", D("2024-05-01")), Given(Certified()), Today)
                .Appends<CredentialEarned>().Credential);
}

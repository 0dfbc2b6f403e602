using System.Text.Json;
using Trajectories.Careers;
using static Trajectories.Tests.CareerSpec;

namespace Trajectories.Tests.Careers;

/// <summary>Status and tenure folded by effective date: the same whatever order the events arrived in.</summary>
public class career_state_at_a_date
{
    // The acceptance story: certified 2022-01-10, Peer I 2022-03-01, Peer II 2023-03-01,
    // paused 2023-06-01 to 2023-08-01, separated for burnout 2024-02-29.
    private static readonly CareerEvent[] Story =
    [
        Certified("2022-01-10"),
        PeerHire("2022-03-01"),
        new Promoted(PeerJob, "Peer II", 21m, D("2023-03-01")),
        new DisabilityPauseStarted("SSDI review", D("2023-06-01")),
        new DisabilityPauseEnded(D("2023-08-01")),
        new Separated(PeerJob, "burnout", true, D("2024-02-29"), null),
    ];

    private static CareerState At(Specialist s, string date) => CareerState.At(s.History(), D(date));

    [Fact]
    public void reads_back_the_acceptance_story()
    {
        var s = Given(Story);
        var early = At(s, "2023-01-01");
        Assert.Equal("employed-peer", early.Status);
        Assert.Equal(306, early.PeerWorkDays);
        Assert.Equal(306, early.CurrentJobDays);
        Assert.Equal("Peer I", Assert.Single(early.CurrentJobs).Tier);
        Assert.Equal("paused", At(s, "2023-07-01").Status);
        Assert.Equal("Peer II", Assert.Single(At(s, "2023-07-01").CurrentJobs).Tier);
        var now = CareerState.At(s.History(), Today);
        Assert.Equal("not-employed", now.Status);
        Assert.Equal(730, now.PeerWorkDays);
        Assert.Null(now.CurrentJobDays);
        Assert.Equal(Today.DayNumber - D("2022-01-10").DayNumber, now.SinceCertificationDays);
    }

    [Fact]
    public void arrival_order_does_not_change_the_answer()
    {
        var shuffled = Given(Story[0], Story[5], Story[3], Story[1], Story[4], Story[2]);
        foreach (var date in new[]
            { "2022-02-01", "2023-01-01", "2023-07-01", "2023-09-01", "2024-02-28", "2024-02-29", "2026-11-23" })
            Assert.Equal(At(Given(Story), date), At(shuffled, date), new StateComparer());
        Assert.Equal(Given(Story).Status, shuffled.Status);
    }

    [Fact]
    public void the_separation_date_is_the_first_day_not_held()
    {
        var s = Given(Story);
        Assert.Equal("employed-peer", At(s, "2024-02-28").Status);
        Assert.Equal("not-employed", At(s, "2024-02-29").Status);
    }

    [Fact]
    public void a_pause_does_not_stop_job_tenure() =>
        Assert.Equal(
            D("2023-07-01").DayNumber - D("2022-03-01").DayNumber,
            At(Given(Story), "2023-07-01").CurrentJobDays);

    [Fact]
    public void before_any_job_the_person_is_seeking_peer_work() =>
        Assert.Equal("seeking-peer-work", At(Given(Story), "2022-02-01").Status);

    [Fact]
    public void overlapping_peer_jobs_count_each_day_once()
    {
        var second = Guid.NewGuid();
        var s = Given(Certified(), PeerHire("2022-03-01"), PeerHire("2022-06-01", second, hours: 10),
            new Separated(PeerJob, "better-pay", true, D("2022-09-01"), null));
        var state = At(s, "2022-12-01");
        // Peer days: 2022-03-01 .. 2022-12-01 continuously covered by one job or the other.
        Assert.Equal(D("2022-12-01").DayNumber - D("2022-03-01").DayNumber, state.PeerWorkDays);
        Assert.Equal(D("2022-12-01").DayNumber - D("2022-06-01").DayNumber, state.CurrentJobDays);
    }

    [Fact]
    public void other_work_alone_is_employed_other_and_a_peer_job_wins()
    {
        var s = Given(Certified(), OtherHire("2022-06-01"), PeerHire("2023-01-01"));
        Assert.Equal("employed-other", At(s, "2022-12-31").Status);
        Assert.Equal("employed-peer", At(s, "2023-01-01").Status);
        Assert.Equal(2, At(s, "2023-01-01").CurrentJobs.Count);
        Assert.Equal(0, At(s, "2022-12-31").PeerWorkDays);
    }

    [Fact]
    public void lost_to_follow_up_comes_first_until_the_person_is_found_again()
    {
        var s = Given(Certified(), PeerHire(), new DisabilityPauseStarted("x", D("2023-01-01")),
            new LostToFollowUp(D("2023-06-01"), null), new CheckedIn(D("2024-01-01"), "paused", null, null, null));
        Assert.Equal("paused", At(s, "2023-05-31").Status);
        Assert.Equal("lost-to-follow-up", At(s, "2023-12-31").Status);
        Assert.Equal("paused", At(s, "2024-01-01").Status);
    }

    [Fact]
    public void a_correction_moves_a_hire_and_a_void_removes_it()
    {
        var (s, ids) = GivenWithIds(Certified(), PeerHire("2022-03-01"), OtherHire("2022-06-01"));
        var (corrected, _) = s.And(new EventCorrected(ids[1],
            new Dictionary<string, JsonElement> { ["startedOn"] = JsonSerializer.SerializeToElement("2022-04-01") },
            "typo", Today));
        Assert.Equal("seeking-peer-work", At(corrected, "2022-03-15").Status);
        Assert.Equal(D("2023-01-01").DayNumber - D("2022-04-01").DayNumber, At(corrected, "2023-01-01").PeerWorkDays);

        var (voided, _) = corrected.And(new EventVoided(ids[2], "wrong person", Today));
        Assert.Equal("employed-peer", voided.Status);
        Assert.Single(At(voided, "2023-01-01").CurrentJobs);
        Assert.True(voided.History().All.Single(e => e.Recorded.EventId == ids[2]).IsVoided);
    }

    [Fact]
    public void a_corrected_certification_changes_the_profile()
    {
        var (s, ids) = GivenWithIds(Certified());
        var (corrected, _) = s.And(new EventCorrected(ids[0],
            new Dictionary<string, JsonElement> { ["name"] = JsonSerializer.SerializeToElement("Ada King") },
            "married name", Today));
        Assert.Equal("Ada King", corrected.Name);
    }

    [Fact]
    public void promotions_and_pay_changes_apply_from_their_dates()
    {
        var s = Given(Certified(), PeerHire(),
            new WageOrHoursChanged(PeerJob, null, 18m, "SSDI limit", D("2022-09-01")),
            new Promoted(PeerJob, "Peer II", 22m, D("2023-03-01")));
        var mid = Assert.Single(At(s, "2022-10-01").CurrentJobs);
        Assert.Equal((18m, 19.50m, "Peer I"), (mid.HoursPerWeek, mid.HourlyWage, mid.Tier));
        var late = Assert.Single(At(s, "2023-04-01").CurrentJobs);
        Assert.Equal((18m, 22m, "Peer II"), (late.HoursPerWeek, late.HourlyWage, late.Tier));
    }

    private sealed class StateComparer : IEqualityComparer<CareerState>
    {
        public bool Equals(CareerState? a, CareerState? b) =>
            a!.Status == b!.Status && a.PeerWorkDays == b.PeerWorkDays && a.CurrentJobDays == b.CurrentJobDays
            && a.CurrentJobs.SequenceEqual(b.CurrentJobs) && a.Jobs.SequenceEqual(b.Jobs);

        public int GetHashCode(CareerState s) => s.Status.GetHashCode();
    }
}

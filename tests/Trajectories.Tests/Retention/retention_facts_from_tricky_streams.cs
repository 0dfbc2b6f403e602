using System.Text.Json;
using Trajectories.Careers;
using Trajectories.Retention;
using Trajectories.Retention.Facts;
using static Trajectories.Tests.CareerSpec;

namespace Trajectories.Tests.Retention;

public class retention_facts_from_tricky_streams
{
    private static RetentionFacts Facts(Specialist s) => RetentionFacts.From(s)!;

    [Fact]
    public void re_entry_after_leaving_makes_a_second_spell_and_the_first_is_measured()
    {
        var back = Guid.NewGuid();
        var f = Facts(Given(Certified("2022-01-10"), PeerHire("2022-03-01"),
            new Separated(PeerJob, "burnout", true, D("2023-03-01"), null), PeerHire("2024-01-01", back)));
        Assert.Equal(
            [
                new PeerSpell(D("2022-03-01"), D("2023-03-01"), "burnout", "Peer I", true),
                new PeerSpell(D("2024-01-01"), null, null, "Peer I", true)
            ],
            f.PeerSpells);
        var spell = Assert.Single(Spells.For(Measure.PeerWork, f, D("2025-01-01")));
        Assert.Equal((365.0, true, "burnout"), (spell.Observation.Exit, spell.Observation.Event, spell.Cause));
        Assert.Equal(2, Spells.For(Measure.Job, f, D("2025-01-01")).Count());
    }

    [Fact]
    public void concurrent_peer_jobs_make_one_spell_ending_with_the_last_job()
    {
        var second = Guid.NewGuid();
        var f = Facts(Given(Certified(), PeerHire("2022-03-01"), PeerHire("2022-06-01", second, hours: 10),
            new Separated(PeerJob, "better-pay", true, D("2022-09-01"), null),
            new Separated(second, "position-cut", false, D("2023-01-01"), null)));
        var spell = Assert.Single(f.PeerSpells);
        Assert.Equal((D("2022-03-01"), D("2023-01-01"), "position-cut"), (spell.Start, spell.End, spell.Reason));
    }

    [Fact]
    public void a_pause_does_not_end_peer_work_but_the_separation_after_it_does()
    {
        var f = Facts(Given(Certified(), PeerHire("2022-03-01"), new DisabilityPauseStarted("SSDI", D("2023-01-01")),
            new Separated(PeerJob, "health-disability", false, D("2023-04-01"), null)));
        Assert.Equal("paused", f.StatusOn(D("2023-02-01")));
        var spell = Assert.Single(Spells.For(Measure.PeerWork, f, D("2024-01-01")));
        Assert.Equal(
            (D("2023-04-01").DayNumber - D("2022-03-01").DayNumber, "health-disability"),
            ((int)spell.Observation.Exit, spell.Cause));
    }

    [Fact]
    public void a_voided_hire_is_gone_and_a_corrected_date_moves_the_spell()
    {
        var (s, ids) = GivenWithIds(Certified(), PeerHire("2022-03-01"), OtherHire("2022-04-01"));
        var (corrected, _) = s.And(new EventCorrected(ids[1],
            new Dictionary<string, JsonElement> { ["startedOn"] = JsonSerializer.SerializeToElement("2022-05-01") },
            "typo", Today));
        var (voided, _) = corrected.And(new EventVoided(ids[2], "wrong person", Today));
        var f = Facts(voided);
        Assert.Equal(PeerJob, Assert.Single(f.Jobs).JobId);
        Assert.Equal(D("2022-05-01"), f.FirstPeerHire);
    }

    [Fact]
    public void a_late_event_is_placed_by_its_effective_date()
    {
        var f = Facts(Given(Certified(), PeerHire("2022-03-01"),
            new Separated(PeerJob, "personal", true, D("2024-01-01"), null),
            new Promoted(PeerJob, "Peer II", 22m, D("2023-01-01"))));
        var job = Assert.Single(f.Jobs);
        Assert.Equal(["Peer I", "Peer II"], job.Terms.Select(t => t.Tier));
        Assert.Equal("Peer I", job.TierAtStart);
        Assert.Equal(22m, job.TermsOn(D("2023-06-01")).HourlyWage);
    }

    [Fact]
    public void lost_to_follow_up_censors_there_unless_found_again_before_the_as_of_date()
    {
        var f = Facts(Given(Certified("2022-01-10"), new LostToFollowUp(D("2023-01-10"), null),
            new CheckedIn(D("2024-01-10"), "seeking-peer-work", null, null, null)));
        var asOf2023 = Assert.Single(Spells.For(Measure.FirstPeerJob, f, D("2023-06-01")));
        Assert.Equal((365.0, false), (asOf2023.Observation.Exit, asOf2023.Observation.Event));
        var asOf2025 = Assert.Single(Spells.For(Measure.FirstPeerJob, f, D("2025-01-10")));
        Assert.Equal(D("2025-01-10").DayNumber - D("2022-01-10").DayNumber, asOf2025.Observation.Exit);
    }

    [Fact]
    public void events_after_the_as_of_date_do_not_count()
    {
        var f = Facts(Given(Certified("2022-01-10"), PeerHire("2022-03-01"),
            new Separated(PeerJob, "burnout", true, D("2024-02-29"), null)));
        var spell = Assert.Single(Spells.For(Measure.PeerWork, f, D("2023-03-01")));
        Assert.Equal((365.0, false, (string?)null), (spell.Observation.Exit, spell.Observation.Event, spell.Cause));
        Assert.Empty(Spells.For(Measure.PeerWork, f, D("2022-02-01")));
        Assert.Empty(Spells.For(Measure.FirstPeerJob, f, D("2021-12-31")));
    }

    [Fact]
    public void observation_starting_after_certification_is_delayed_entry()
    {
        var f = Facts(Given(
            Certified("2022-01-10") with { ObservationStart = D("2022-07-10") }, PeerHire("2023-01-10")));
        var spell = Assert.Single(Spells.For(Measure.FirstPeerJob, f, D("2024-01-01")));
        Assert.Equal(
            (D("2022-07-10").DayNumber - D("2022-01-10").DayNumber,
                D("2023-01-10").DayNumber - D("2022-01-10").DayNumber, true),
            ((int)spell.Observation.Entry!.Value, (int)spell.Observation.Exit, spell.Observation.Event));
    }
}

using System.Text.Json;
using Trajectories.Careers;
using Trajectories.Careers.Correcting;
using static Trajectories.Tests.CareerSpec;

namespace Trajectories.Tests.Careers;

/// <summary>A correction is held to the rules of the command that recorded the event, field by field.</summary>
public class when_correcting_with_the_commands_rules
{
    private static readonly Caller EveryState = new("test", Roles.Staff, null, "key");

    private static Decision Correct(Specialist given, Guid eventId, Dictionary<string, JsonElement> changes) =>
        CorrectEndpoint.DecideAsync(new Correct(eventId, changes, null, "fix"), given, Ladder, EveryState, Today,
            CertificationNumbers.NobodyYet).AsTask().GetAwaiter().GetResult();

    private static Dictionary<string, JsonElement> Change(string field, object? value) =>
        new() { [field] = JsonSerializer.SerializeToElement(value) };

    [Theory]
    [InlineData("name", 201)]
    [InlineData("county", 201)]
    public void refuses_a_text_longer_than_the_command_takes(string field, int length)
    {
        var (given, ids) = GivenWithIds(Certified());
        var rejection = Correct(given, ids[0], Change(field, new string('x', length)))
            .Rejects("invalid-correction", 400);
        Assert.Contains("longer than 200", rejection.Detail);
    }

    [Fact]
    public void refuses_an_employer_of_half_a_million_characters()
    {
        var (given, ids) = GivenWithIds(Certified(), PeerHire());
        Correct(given, ids[1], Change("employer", new string('e', 500_000))).Rejects("invalid-correction", 400);
    }

    [Fact]
    public void staff_may_not_correct_a_promotion_into_one_to_the_tier_already_held()
    {
        var (given, ids) = GivenWithIds(Certified(), PeerHire(),
            new Promoted(PeerJob, "Peer II", null, D("2023-03-01")));
        Correct(given, ids[2], Change("tier", "Peer I")).ForStaff(given).Rejects("same-tier", 409);
    }

    [Fact]
    public void nor_correct_the_hire_to_the_tier_a_promotion_later_gave()
    {
        var (given, ids) = GivenWithIds(Certified(), PeerHire(),
            new Promoted(PeerJob, "Peer II", null, D("2023-03-01")));
        Correct(given, ids[1], Change("tier", "Peer II")).ForStaff(given).Rejects("same-tier", 409);
    }

    [Fact]
    public void nor_void_or_move_the_pause_a_recorded_return_ended()
    {
        var (given, ids) = GivenWithIds(Certified(), PeerHire(),
            new DisabilityPauseStarted("x", D("2023-01-01")), new ReturnedToWork(D("2023-03-01"), PeerJob, null));
        CorrectEndpoint.DecideAsync(new Correct(ids[2], null, true, "fix"), given, Ladder, EveryState, Today,
                CertificationNumbers.NobodyYet).AsTask().GetAwaiter().GetResult()
            .ForStaff(given).Rejects("no-open-pause", 409);
        Correct(given, ids[2], Change("startedOn", "2023-05-01")).ForStaff(given).Rejects("no-open-pause", 409);
    }

    [Fact]
    public void a_slip_recorded_before_the_checks_takes_corrections_of_its_other_fields()
    {
        // A same-tier promotion and an orphaned return from before: their wage and note may still be corrected
        // (a note may hold what erasure is for), since the correction adds no slip the history did not hold.
        var (given, ids) = GivenWithIds(Certified(), PeerHire(), new Promoted(PeerJob, "Peer I", null, D("2023-03-01")),
            new ReturnedToWork(D("2023-05-01"), PeerJob, "called in"));
        Correct(given, ids[2], Change("hourlyWage", 21)).ForStaff(given).Appends<EventCorrected>();
        Correct(given, ids[3], Change("note", "back")).ForStaff(given).Appends<EventCorrected>();
    }

    [Fact]
    public void keeps_a_peer_promotion_on_the_ladder()
    {
        var (given, ids) = GivenWithIds(
            Certified(), PeerHire(), new Promoted(PeerJob, "Peer II", null, D("2023-01-01")));
        Correct(given, ids[2], Change("tier", "=cmd|' /C calc'!A0")).Rejects("invalid-correction", 400);
        var corrected = Correct(given, ids[2], Change("tier", "peer iii")).Appends<EventCorrected>();
        Assert.Equal("Peer III", corrected.Changes["tier"].GetString());
    }

    [Fact]
    public void refuses_a_field_the_event_does_not_record()
    {
        var (given, ids) = GivenWithIds(
            Certified(), PeerHire(), new Promoted(PeerJob, "Peer II", null, D("2023-01-01")));
        var rejection = Correct(given, ids[2], Change("effectiveOn", "2023-02-01")).Rejects("invalid-correction", 400);
        Assert.Contains("promotedOn", rejection.Detail);
        Correct(given, ids[1], Change("jobId", Guid.NewGuid())).Rejects("invalid-correction", 400);
    }

    [Fact]
    public void stores_every_field_in_the_events_own_spelling_and_value()
    {
        var (given, ids) = GivenWithIds(Certified(), PeerHire(),
            new Separated(PeerJob, "burnout", true, D("2024-01-01"), null));
        var corrected = Correct(given, ids[2], Change("REASON", " Better-Pay ")).Appends<EventCorrected>();
        Assert.Equal(["reason"], corrected.Changes.Keys);
        Assert.Equal("better-pay", corrected.Changes["reason"].GetString());
    }

    [Fact]
    public void refuses_the_same_field_twice_in_two_spellings()
    {
        var (given, ids) = GivenWithIds(Certified());
        var changes = new Dictionary<string, JsonElement>
        {
            ["county"] = JsonSerializer.SerializeToElement("Lane"),
            ["County"] = JsonSerializer.SerializeToElement("Linn"),
        };
        Correct(given, ids[0], changes).Rejects("invalid-correction", 400);
    }

    [Fact]
    public void refuses_a_date_no_career_can_have()
    {
        var (given, ids) = GivenWithIds(Certified(), PeerHire());
        var rejection = Correct(given, ids[0], Change("certifiedOn", "1969-12-31")).Rejects("invalid-correction", 400);
        Assert.Contains("1970-01-01", rejection.Detail);
        Correct(given, ids[1], Change("startedOn", "0202-03-01")).Rejects("invalid-correction", 400);
    }

    [Fact]
    public void every_event_a_command_records_can_be_read_again_by_that_command()
    {
        // A new event type without its command in CorrectedValues.Validate would be uncorrectable: fail here instead.
        var recorded = typeof(CareerEvent).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(CareerEvent)) && !t.IsAbstract
                && t != typeof(EventCorrected) && t != typeof(EventVoided));
        var given = Given(Certified(), PeerHire());
        foreach (var type in recorded)
        {
            var sample = Samples.Single(s => s.GetType() == type);
            var (read, errors) = CorrectedValues.Validate(sample, given, Ladder, Today);
            Assert.True(read is not null, $"{type.Name}: {string.Join(" ", errors.Items.Select(e => e.Message))}");
            Assert.Equal(sample, read);
        }
    }

    private static readonly CareerEvent[] Samples =
    [
        Certified(), new CertificationRenewed(D("2024-01-10"), D("2026-01-10")),
        new CertificationLapsed(D("2024-01-10")),
        PeerHire(), new Promoted(PeerJob, "Peer II", 21m, D("2023-01-01")),
        new WageOrHoursChanged(PeerJob, 22m, 30m, "raise", D("2023-06-01")),
        new Separated(PeerJob, "burnout", true, D("2024-01-01"), "note"),
        new DisabilityPauseStarted("surgery", D("2023-02-01")), new DisabilityPauseEnded(D("2023-03-01")),
        new ReturnedToWork(D("2023-03-01"), PeerJob, null), new CredentialEarned("CADC", D("2023-04-01")),
        new CheckedIn(D("2023-05-01"), "employed-peer", 2m, 1.5m, 5m), new LostToFollowUp(D("2025-01-01"), null),
    ];
}

public class when_registering_with_dates_no_career_can_have
{
    [Fact]
    public void refuses_a_certification_before_1970()
    {
        var (certified, errors) = Trajectories.Careers.Registering.RegisterSpecialistEndpoint.Read(
            new("Ada", "OR", "adult-peer", "OR-1", D("1969-12-31"), "Lane", false, false, null), Today);
        Assert.Null(certified);
        Assert.Equal("date-out-of-range", errors.AsRejection().Rule);
    }
}

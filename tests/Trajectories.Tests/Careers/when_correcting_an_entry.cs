using System.Text.Json;
using Trajectories.Careers;
using Trajectories.Careers.Correcting;
using static Trajectories.Tests.CareerSpec;

namespace Trajectories.Tests.Careers;

public class when_correcting_an_entry
{
    private static Dictionary<string, JsonElement> Changes(object fields) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(fields))!;

    private static readonly Caller EveryState = new("test", Roles.Staff, null, "key");

    /// <summary>The correction's decision for a key that sees every state, with no other holder of any
    /// number.</summary>
    private static Decision Decide(Correct command, Specialist given, CareerLadder ladder, DateOnly today,
        Caller? caller = null, NumberHolder? holder = null) =>
        CorrectEndpoint.DecideAsync(command, given, ladder, caller ?? EveryState, today,
            holder ?? CertificationNumbers.NobodyYet).AsTask().GetAwaiter().GetResult();

    [Fact]
    public void refuses_a_scoped_key_moving_a_person_out_of_its_states_however_the_field_is_spelled()
    {
        var (given, ids) = GivenWithIds(Certified());
        var oregonOnly = new Caller("test", Roles.Staff, new HashSet<string> { "OR" }, "key");
        foreach (var field in new[] { "state", "State", "STATE" })
        {
            var changes = new Dictionary<string, JsonElement> { [field] = JsonSerializer.SerializeToElement("TX") };
            Decide(new Correct(ids[0], changes, null, "moved"), given, Ladder, Today, oregonOnly)
                .Rejects("state-out-of-scope", 403);
        }
    }

    [Fact]
    public void refuses_a_certification_number_another_person_holds_in_that_state()
    {
        var (given, ids) = GivenWithIds(Certified());
        var other = Guid.NewGuid();
        NumberHolder holder = (state, number) =>
            ValueTask.FromResult<Guid?>(state == "OR" && number == "OR-9" ? other : null);
        Decide(new Correct(ids[0], Changes(new { certificationNumber = "OR-9" }), null, "typo"), given, Ladder, Today,
            holder: holder).Rejects("duplicate-certification-number", 409);
        Decide(new Correct(ids[0], Changes(new { certificationNumber = "OR-10" }), null, "typo"), given, Ladder, Today,
            holder: holder).Appends<EventCorrected>();
    }

    [Fact]
    public void supersedes_the_fields_it_names()
    {
        var (given, ids) = GivenWithIds(Certified(), PeerHire("2022-03-01"));
        var corrected = Decide(
                new Correct(ids[1], Changes(new { startedOn = "2022-03-02" }), null, "typo"), given, Ladder, Today)
            .Appends<EventCorrected>();
        Assert.Equal(ids[1], corrected.EventId);
        Assert.Equal(Today, corrected.CorrectedOn);
    }

    [Fact]
    public void voids_an_entry_recorded_in_error()
    {
        var (given, ids) = GivenWithIds(Certified(), PeerHire());
        Assert.Equal(
            ids[1],
            Decide(new Correct(ids[1], null, true, "wrong person"), given, Ladder, Today)
                .Appends<EventVoided>().EventId);
    }

    [Fact]
    public void rejects_a_field_the_event_does_not_have()
    {
        var (given, ids) = GivenWithIds(Certified(), PeerHire());
        var rejection = Decide(new Correct(ids[1], Changes(new { salary = 3 }), null, "x"), given, Ladder, Today)
            .Rejects("invalid-correction", 400);
        Assert.Contains("employer", rejection.Detail);
    }

    [Fact]
    public void rejects_a_value_of_the_wrong_type()
    {
        var (given, ids) = GivenWithIds(Certified(), PeerHire());
        Decide(new Correct(ids[1], Changes(new { startedOn = "soon" }), null, "x"), given, Ladder, Today)
            .Rejects("invalid-correction", 400);
    }

    [Fact]
    public void rejects_a_value_outside_the_vocabulary()
    {
        var (given, ids) = GivenWithIds(Certified(), PeerHire());
        Decide(new Correct(ids[1], Changes(new { jobType = "wizard" }), null, "x"), given, Ladder, Today)
            .Rejects("invalid-correction", 400);
    }

    [Fact]
    public void rejects_a_correction_that_would_break_a_later_event()
    {
        var (given, ids) = GivenWithIds(
            Certified(), PeerHire("2022-03-01"), new Promoted(PeerJob, "Peer II", null, D("2023-03-01")));
        Decide(new Correct(ids[1], Changes(new { startedOn = "2023-06-01" }), null, "x"), given, Ladder, Today)
            .Rejects("job-not-held", 409);
    }

    [Fact]
    public void rejects_both_changes_and_void() =>
        Decide(new Correct(Guid.NewGuid(), Changes(new { a = 1 }), true, "x"), Given(Certified()), Ladder, Today)
            .Rejects("correction-needs-one-kind", 400);

    [Fact]
    public void rejects_an_event_not_in_the_stream() =>
        Decide(new Correct(Guid.NewGuid(), null, true, "x"), Given(Certified()), Ladder, Today)
            .Rejects("event-not-found", 409);

    [Fact]
    public void rejects_voiding_the_certification()
    {
        var (given, ids) = GivenWithIds(Certified());
        Decide(new Correct(ids[0], null, true, "x"), given, Ladder, Today).Rejects("cannot-void-certification", 409);
    }

    [Fact]
    public void rejects_correcting_a_voided_entry()
    {
        var (given, ids) = GivenWithIds(Certified(), PeerHire());
        var (voided, _) = given.And(new EventVoided(ids[1], "x", Today));
        Decide(new Correct(ids[1], null, true, "again"), voided, Ladder, Today).Rejects("event-voided", 409);
    }

    [Fact]
    public void rejects_correcting_a_correction()
    {
        var (given, ids) = GivenWithIds(Certified(), PeerHire());
        var (corrected, correctionId) =
            given.And(new EventCorrected(ids[1], Changes(new { hourlyWage = 20 }), "x", Today));
        Decide(new Correct(correctionId, null, true, "x"), corrected, Ladder, Today)
            .Rejects("cannot-correct-a-correction", 409);
    }
}

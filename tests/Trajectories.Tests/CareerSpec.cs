using JasperFx.Events;
using Trajectories.Careers;

namespace Trajectories.Tests;

/// <summary>
/// Given events (folded by the real projection, as Marten would) -> when a command -> then events or a rejection.
/// </summary>
public static class CareerSpec
{
    public static readonly DateOnly Today = new(2026, 11, 23);
    public static readonly CareerLadder Ladder = new();
    public static readonly Guid PeerJob = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
    public static readonly Guid OtherJob = Guid.Parse("00000000-0000-0000-0000-0000000000b2");

    public static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd");

    public static SpecialistCertified Certified(string on = "2022-01-10", string number = "OR-1") =>
        new("Ada Lovelace", "OR", "adult-peer", number, D(on), "Lane", false, true, null);

    public static Hired PeerHire(
        string on = "2022-03-01", Guid? job = null, string tier = "Peer I", decimal hours = 40) =>
        new(job ?? PeerJob, "Lane County Behavioral Health", "Peer Support Specialist",
            "peer", tier, hours, 19.50m, D(on));

    public static Hired OtherHire(string on = "2022-06-01", Guid? job = null) =>
        new(job ?? OtherJob, "Grocery Co-op", "Clerk", "other", null, 20, 16m, D(on));

    /// <summary>
    /// Folds events through the projection (SpecialistProjection.Apply) with ids, versions and timestamps as Marten
    /// assigns them.
    /// </summary>
    public static Specialist Given(params CareerEvent[] events) => GivenWithIds(events).Specialist;

    public static (Specialist Specialist, Guid[] EventIds) GivenWithIds(params CareerEvent[] events)
    {
        Specialist? specialist = null;
        var ids = new Guid[events.Length];
        for (var i = 0; i < events.Length; i++) (specialist, ids[i]) = Fold(specialist, events[i]);
        return (specialist!, ids);
    }

    /// <summary>One more recorded event on a given stream (for events that name an earlier event's id).</summary>
    public static (Specialist Specialist, Guid EventId) And(this Specialist specialist, CareerEvent e) =>
        Fold(specialist, e);

    private static (Specialist, Guid) Fold(Specialist? specialist, CareerEvent e)
    {
        var wrapped = (IEvent)Activator.CreateInstance(typeof(Event<>).MakeGenericType(e.GetType()), e)!;
        var version = (specialist?.Version ?? 0) + 1;
        wrapped.Id = Guid.CreateVersion7();
        wrapped.Version = version;
        wrapped.Timestamp = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(version);
        wrapped.UserName = "staff";
        return (
            SpecialistProjection.Apply(specialist, Guid.Parse("00000000-0000-0000-0000-000000000001"), [wrapped])!,
            wrapped.Id);
    }

    public static T Appends<T>(this Decision decision) where T : CareerEvent
    {
        Assert.True(decision.IsAccepted, $"expected an accepted command, was rejected: {decision.Rejection}");
        return Assert.IsType<T>(Assert.Single(decision.Events));
    }

    public static Rejection Rejects(this Decision decision, string rule, int status)
    {
        Assert.False(decision.IsAccepted, "expected a rejection, but the command was accepted");
        Assert.Empty(decision.Events);
        Assert.Equal(rule, decision.Rejection!.Rule);
        Assert.Equal(status, decision.Rejection.Status);
        return decision.Rejection;
    }
}

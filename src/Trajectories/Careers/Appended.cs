using Wolverine.Marten;

namespace Trajectories.Careers;

/// <summary>
/// How a decision becomes an HTTP answer on a [WriteAggregate] endpoint: Wolverine writes the first tuple item as
/// the response and appends the Events to the stream it fetched (with an optimistic version check at commit).
/// A rejection returns no events, so nothing is appended.
/// </summary>
public static class Appended
{
    public sealed record Response(Guid SpecialistId, string Type, DateOnly EffectiveOn, Guid? JobId = null);

    /// <summary>The staff's answer: an HTTP write is a person's (a form, a script), so StaffChecks apply.</summary>
    public static (IResult, Events) ToHttp(this Decision decision, Specialist specialist, Guid? jobId = null)
    {
        decision = decision.ForStaff(specialist);
        if (decision.Rejection is { } rejection) return (rejection.ToProblem(), new Events());

        var events = new Events();
        events.AddRange(decision.Events);
        var first = decision.Events[0];
        var body = new Response(specialist.Id, CareerJson.KindOf(first), first.EffectiveOn, jobId);
        var location = $"/api/specialists/{specialist.Id}/timeline";
        return (Results.Created(location, body), events);
    }
}

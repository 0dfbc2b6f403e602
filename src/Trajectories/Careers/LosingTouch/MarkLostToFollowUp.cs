using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Trajectories.Careers.LosingTouch;

/// <summary>
/// Observation ends: retention analysis censors the person here instead of counting them as retained.
/// </summary>
public sealed record MarkLostToFollowUp(DateOnly? EffectiveOn, string? Note);

public static class MarkLostToFollowUpEndpoint
{
    /// <summary>
    /// The request's fields read into its event; a correction of the event is read again here. Not named Validate:
    /// Wolverine would run a method of that name before the endpoint, as middleware.
    /// </summary>
    public static (LostToFollowUp?, RequestErrors) Read(MarkLostToFollowUp command, DateOnly today)
    {
        var errors = new RequestErrors();
        var on = errors.NotInFuture(command.EffectiveOn, "effectiveOn", today);
        var note = errors.Optional(command.Note, "note");
        return (errors.Any ? null : new LostToFollowUp(on!.Value, note), errors);
    }

    public static Decision Decide(MarkLostToFollowUp command, Specialist specialist, DateOnly today) =>
        CareerDecider.Admit(Read(command, today), specialist, today);

    [WolverinePost("/api/specialists/{id}/lost-to-follow-up",
        Summary = "Record that follow-up was lost"), Access(Roles.Staff), Tags("Careers")]
    [ProducesResponseType<Appended.Response>(201)]
    public static (IResult, Events) Post(MarkLostToFollowUp command, [WriteAggregate("id")] Specialist specialist,
        TimeProvider clock)
        => Decide(command, specialist, clock.Today()).ToHttp(specialist);
}

using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Trajectories.Careers.Returning;

public sealed record ReturnToWork(DateOnly? EffectiveOn, Guid? JobId, string? Note);

public static class ReturnToWorkEndpoint
{
    /// <summary>
    /// The request's fields read into its event; a correction of the event is read again here. Not named Validate:
    /// Wolverine would run a method of that name before the endpoint, as middleware.
    /// </summary>
    public static (ReturnedToWork?, RequestErrors) Read(ReturnToWork command, DateOnly today)
    {
        var errors = new RequestErrors();
        var on = errors.NotInFuture(command.EffectiveOn, "effectiveOn", today);
        var note = errors.Optional(command.Note, "note");
        return (errors.Any ? null : new ReturnedToWork(on!.Value, command.JobId, note), errors);
    }

    public static Decision Decide(ReturnToWork command, Specialist specialist, DateOnly today) =>
        CareerDecider.Admit(Read(command, today), specialist, today);

    [WolverinePost("/api/specialists/{id}/returns",
        Summary = "Record a return to work"), Access(Roles.Staff), Tags("Careers")]
    [ProducesResponseType<Appended.Response>(201)]
    public static (IResult, Events) Post(ReturnToWork command, [WriteAggregate("id")] Specialist specialist,
        TimeProvider clock)
        => Decide(command, specialist, clock.Today()).ToHttp(specialist, command.JobId);
}

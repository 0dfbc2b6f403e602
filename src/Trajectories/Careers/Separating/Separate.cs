using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Trajectories.Careers.Separating;

public sealed record Separate(Guid? JobId, string? Reason, bool? Voluntary, DateOnly? EffectiveOn, string? Note);

public static class SeparateEndpoint
{
    /// <summary>
    /// The request's fields read into its event; a correction of the event is read again here. Not named Validate:
    /// Wolverine would run a method of that name before the endpoint, as middleware.
    /// </summary>
    public static (Separated?, RequestErrors) Read(Separate command, DateOnly today)
    {
        var errors = new RequestErrors();
        var jobId = errors.Required(command.JobId, "jobId");
        var reason = errors.OneOf(command.Reason, Vocabulary.SeparationReasons, "reason");
        var voluntary = errors.Required(command.Voluntary, "voluntary");
        var on = errors.NotInFuture(command.EffectiveOn, "effectiveOn", today);
        var note = errors.Optional(command.Note, "note");
        return (errors.Any ? null : new Separated(jobId!.Value, reason, voluntary!.Value, on!.Value, note), errors);
    }

    public static Decision Decide(Separate command, Specialist specialist, DateOnly today) =>
        CareerDecider.Admit(Read(command, today), specialist, today);

    [WolverinePost("/api/specialists/{id}/separations",
        Summary = "Record that a job ended"), Access(Roles.Staff), Tags("Careers")]
    [ProducesResponseType<Appended.Response>(201)]
    public static (IResult, Events) Post(Separate command, [WriteAggregate("id")] Specialist specialist,
        TimeProvider clock)
        => Decide(command, specialist, clock.Today()).ToHttp(specialist, command.JobId);
}

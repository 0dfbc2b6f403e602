using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Trajectories.Careers.Separating;

public sealed record Separate(Guid? JobId, string? Reason, bool? Voluntary, DateOnly? EffectiveOn, string? Note);

public static class SeparateEndpoint
{
    public static Decision Decide(Separate command, Specialist specialist, DateOnly today)
    {
        var errors = new RequestErrors();
        var jobId = errors.Required(command.JobId, "jobId");
        var reason = errors.OneOf(command.Reason, Vocabulary.SeparationReasons, "reason");
        var voluntary = errors.Required(command.Voluntary, "voluntary");
        var on = errors.NotInFuture(command.EffectiveOn, "effectiveOn", today);
        var note = errors.Optional(command.Note, "note");
        if (errors.Any) return errors.AsRejection();
        return CareerDecider.Admit(specialist, new Separated(jobId!.Value, reason, voluntary!.Value, on!.Value, note), today);
    }

    [WolverinePost("/api/specialists/{id}/separations"), Access(Roles.Staff), Tags("Careers")]
    [ProducesResponseType<Appended.Response>(201)]
    public static (IResult, Events) Post(Separate command, [WriteAggregate("id")] Specialist specialist, TimeProvider clock)
        => Decide(command, specialist, clock.Today()).ToHttp(specialist, command.JobId);
}

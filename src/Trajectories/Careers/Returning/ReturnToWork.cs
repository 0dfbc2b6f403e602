using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Trajectories.Careers.Returning;

public sealed record ReturnToWork(DateOnly? EffectiveOn, Guid? JobId, string? Note);

public static class ReturnToWorkEndpoint
{
    public static Decision Decide(ReturnToWork command, Specialist specialist, DateOnly today)
    {
        var errors = new RequestErrors();
        var on = errors.NotInFuture(command.EffectiveOn, "effectiveOn", today);
        var note = errors.Optional(command.Note, "note");
        if (errors.Any) return errors.AsRejection();
        return CareerDecider.Admit(specialist, new ReturnedToWork(on!.Value, command.JobId, note), today);
    }

    [WolverinePost("/api/specialists/{id}/returns"), Access(Roles.Staff), Tags("Careers")]
    [ProducesResponseType<Appended.Response>(201)]
    public static (IResult, Events) Post(ReturnToWork command, [WriteAggregate("id")] Specialist specialist, TimeProvider clock)
        => Decide(command, specialist, clock.Today()).ToHttp(specialist, command.JobId);
}

using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Trajectories.Careers.Pausing;

/// <summary>A disability pause: a first-class fact (benefit rules), not leaving; it does not stop job tenure.</summary>
public sealed record StartPause(string? Reason, DateOnly? StartedOn);

public sealed record EndPause(DateOnly? EndedOn);

public static class StartPauseEndpoint
{
    /// <summary>
    /// The request's fields read into its event; a correction of the event is read again here. Not named Validate:
    /// Wolverine would run a method of that name before the endpoint, as middleware.
    /// </summary>
    public static (DisabilityPauseStarted?, RequestErrors) Read(StartPause command, DateOnly today)
    {
        var errors = new RequestErrors();
        var reason = errors.Required(command.Reason, "reason", 500);
        var on = errors.NotInFuture(command.StartedOn, "startedOn", today);
        return (errors.Any ? null : new DisabilityPauseStarted(reason, on!.Value), errors);
    }

    public static Decision Decide(StartPause command, Specialist specialist, DateOnly today) =>
        CareerDecider.Admit(Read(command, today), specialist, today);

    [WolverinePost("/api/specialists/{id}/pauses",
        Summary = "Record the start of a disability pause"), Access(Roles.Staff), Tags("Careers")]
    [ProducesResponseType<Appended.Response>(201)]
    public static (IResult, Events) Post(StartPause command, [WriteAggregate("id")] Specialist specialist,
        TimeProvider clock)
        => Decide(command, specialist, clock.Today()).ToHttp(specialist);
}

public static class EndPauseEndpoint
{
    /// <summary>
    /// The request's fields read into its event; a correction of the event is read again here. Not named Validate:
    /// Wolverine would run a method of that name before the endpoint, as middleware.
    /// </summary>
    public static (DisabilityPauseEnded?, RequestErrors) Read(EndPause command, DateOnly today)
    {
        var errors = new RequestErrors();
        var on = errors.NotInFuture(command.EndedOn, "endedOn", today);
        return (errors.Any ? null : new DisabilityPauseEnded(on!.Value), errors);
    }

    public static Decision Decide(EndPause command, Specialist specialist, DateOnly today) =>
        CareerDecider.Admit(Read(command, today), specialist, today);

    [WolverinePost("/api/specialists/{id}/pauses/end",
        Summary = "Record the end of a disability pause"), Access(Roles.Staff), Tags("Careers")]
    [ProducesResponseType<Appended.Response>(201)]
    public static (IResult, Events) Post(EndPause command, [WriteAggregate("id")] Specialist specialist,
        TimeProvider clock)
        => Decide(command, specialist, clock.Today()).ToHttp(specialist);
}

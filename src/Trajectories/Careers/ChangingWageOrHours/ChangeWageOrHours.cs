using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Trajectories.Careers.ChangingWageOrHours;

/// <summary>
/// Either or both of wage and hours; the reason matters for analysis (e.g. keeping under an SSDI earnings limit).
/// </summary>
public sealed record ChangeWageOrHours(Guid? JobId, decimal? HourlyWage, decimal? HoursPerWeek, string? Reason,
    DateOnly? EffectiveOn);

public static class ChangeWageOrHoursEndpoint
{
    /// <summary>
    /// The request's fields read into its event; a correction of the event is read again here. Not named Validate:
    /// Wolverine would run a method of that name before the endpoint, as middleware.
    /// </summary>
    public static (WageOrHoursChanged?, RequestErrors) Read(ChangeWageOrHours command, DateOnly today)
    {
        var errors = new RequestErrors();
        var jobId = errors.Required(command.JobId, "jobId");
        var wage = errors.Range(command.HourlyWage, Bounds.HourlyWage, required: false);
        var hours = errors.Range(command.HoursPerWeek, Bounds.HoursPerWeek, required: false);
        if (command.HourlyWage is null && command.HoursPerWeek is null)
            errors.Add("hourlyWage", "nothing-changed", "Give a new 'hourlyWage', a new 'hoursPerWeek', or both.");
        var reason = errors.Required(command.Reason, "reason", 500);
        var on = errors.NotInFuture(command.EffectiveOn, "effectiveOn", today);
        return (errors.Any ? null : new WageOrHoursChanged(jobId!.Value, wage, hours, reason, on!.Value), errors);
    }

    public static Decision Decide(ChangeWageOrHours command, Specialist specialist, DateOnly today) =>
        CareerDecider.Admit(Read(command, today), specialist, today);

    [WolverinePost("/api/specialists/{id}/wage-changes",
        Summary = "Record a wage or hours change"), Access(Roles.Staff), Tags("Careers")]
    [ProducesResponseType<Appended.Response>(201)]
    public static (IResult, Events) Post(ChangeWageOrHours command, [WriteAggregate("id")] Specialist specialist,
        TimeProvider clock)
        => Decide(command, specialist, clock.Today()).ToHttp(specialist, command.JobId);
}

using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Trajectories.Careers.CheckingIn;

/// <summary>Burnout scores are Maslach Burnout Inventory subscale means on its 0-6 frequency scale.</summary>
public sealed record CheckIn(DateOnly? CheckedInOn, string? ReportedStatus, decimal? Exhaustion, decimal? Cynicism,
    decimal? ProfessionalEfficacy);

public static class CheckInEndpoint
{
    /// <summary>
    /// The request's fields read into its event; a correction of the event is read again here. Not named Validate:
    /// Wolverine would run a method of that name before the endpoint, as middleware.
    /// </summary>
    public static (CheckedIn?, RequestErrors) Read(CheckIn command, DateOnly today)
    {
        var errors = new RequestErrors();
        var on = errors.NotInFuture(command.CheckedInOn, "checkedInOn", today);
        var status = errors.OneOf(command.ReportedStatus, Vocabulary.ReportedStatuses, "reportedStatus");
        var exhaustion = errors.Range(command.Exhaustion, Bounds.Exhaustion, required: false);
        var cynicism = errors.Range(command.Cynicism, Bounds.Cynicism, required: false);
        var efficacy = errors.Range(command.ProfessionalEfficacy, Bounds.ProfessionalEfficacy, required: false);
        return (errors.Any ? null : new CheckedIn(on!.Value, status, exhaustion, cynicism, efficacy), errors);
    }

    public static Decision Decide(CheckIn command, Specialist specialist, DateOnly today) =>
        CareerDecider.Admit(Read(command, today), specialist, today);

    [WolverinePost("/api/specialists/{id}/check-ins",
        Summary = "Record a check-in"), Access(Roles.Staff), Tags("Careers")]
    [ProducesResponseType<Appended.Response>(201)]
    public static (IResult, Events) Post(CheckIn command, [WriteAggregate("id")] Specialist specialist,
        TimeProvider clock)
        => Decide(command, specialist, clock.Today()).ToHttp(specialist);
}

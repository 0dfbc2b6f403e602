using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Trajectories.Careers.Hiring;

/// <summary>
/// JobId is optional: a client that sends its own can retry safely (the same hire again is a 200, not a second job).
/// </summary>
public sealed record Hire(
    Guid? JobId, string? Employer, string? Title, string? JobType, string? Tier,
    decimal? HoursPerWeek, decimal? HourlyWage, DateOnly? StartedOn);

public static class HireEndpoint
{
    /// <summary>
    /// The request's fields read into its event; a correction of the event is read again here. Not named Validate:
    /// Wolverine would run a method of that name before the endpoint, as middleware.
    /// </summary>
    public static (Hired?, RequestErrors) Read(Hire command, CareerLadder ladder, DateOnly today)
    {
        var errors = new RequestErrors();
        var jobType = errors.OneOf(command.JobType, Vocabulary.JobTypes, "jobType");
        var hired = new Hired(command.JobId ?? Guid.CreateVersion7(),
            errors.Required(command.Employer, "employer"),
            errors.Required(command.Title, "title"),
            jobType,
            Tier(command.Tier, jobType, ladder, errors),
            errors.Range(command.HoursPerWeek, Bounds.HoursPerWeek, required: true) ?? 0,
            errors.Range(command.HourlyWage, Bounds.HourlyWage, required: true) ?? 0,
            errors.NotInFuture(command.StartedOn, "startedOn", today) ?? default);
        return (errors.Any ? null : hired, errors);
    }

    public static Decision Decide(Hire command, Specialist specialist, CareerLadder ladder, DateOnly today,
        out Guid jobId)
    {
        jobId = command.JobId ?? Guid.CreateVersion7();
        var (hired, errors) = Read(command with { JobId = jobId }, ladder, today);
        if (hired is null) return errors.AsRejection();

        // A retried hire with the same job id and the same facts changes nothing.
        var id = jobId;
        var existing = specialist.History().Effective.Select(e => e.Event).OfType<Hired>()
            .FirstOrDefault(h => h.JobId == id);
        if (existing == hired) return Decision.Accept();
        return CareerDecider.Admit(specialist, hired, today);
    }

    /// <summary>
    /// Peer jobs sit on the ladder (its first tier when none is given); other jobs carry a tier only if sent.
    /// </summary>
    private static string? Tier(string? tier, string jobType, CareerLadder ladder, RequestErrors errors)
    {
        if (string.IsNullOrWhiteSpace(tier)) return jobType == "peer" ? ladder.EntryTier : null;
        if (jobType != "peer") return errors.Optional(tier, "tier", 100);
        var found = ladder.Find(tier);
        if (found is null) errors.Add("tier", "unknown-tier", ladder.NotOnLadder);
        return found;
    }

    [WolverinePost("/api/specialists/{id}/hires", Summary = "Record a hire"), Access(Roles.Staff), Tags("Careers")]
    [ProducesResponseType<Appended.Response>(201)]
    public static (IResult, Events) Post(Hire command, [WriteAggregate("id")] Specialist specialist,
        CareerLadder ladder, TimeProvider clock)
    {
        var decision = Decide(command, specialist, ladder, clock.Today(), out var jobId);
        return decision is { IsAccepted: true, Events.Count: 0 }
            ? (Results.Ok(new Appended.Response(specialist.Id, "hired", command.StartedOn!.Value, jobId)), new Events())
            : decision.ToHttp(specialist, jobId);
    }
}

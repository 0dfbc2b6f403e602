using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Trajectories.Careers.Promoting;

public sealed record Promote(Guid? JobId, string? Tier, decimal? HourlyWage, DateOnly? EffectiveOn);

public static class PromoteEndpoint
{
    /// <summary>
    /// The request's fields read into its event; a correction of the event is read again here. The job's type, from
    /// the history, says whether the tier must be on the ladder (not judged without a specialist: ingestion's first
    /// checks read a promotion before its person is loaded).
    /// </summary>
    public static (Promoted?, RequestErrors) Read(Promote command, Specialist? specialist, CareerLadder ladder,
        DateOnly today)
    {
        var errors = new RequestErrors();
        var jobId = errors.Required(command.JobId, "jobId");
        var tier = errors.Required(command.Tier, "tier", 100);
        var job = jobId is { } id && specialist is not null
            ? specialist.History().Effective.Select(e => e.Event).OfType<Hired>().FirstOrDefault(h => h.JobId == id)
            : null;
        // Peer jobs move up the configured ladder; other jobs keep whatever tier names the employer uses.
        if (job?.JobType == "peer" && tier.Length > 0)
        {
            var onLadder = ladder.Find(tier);
            if (onLadder is null) errors.Add("tier", "unknown-tier", ladder.NotOnLadder);
            tier = onLadder ?? tier;
        }
        var wage = errors.Range(command.HourlyWage, Bounds.HourlyWage, required: false);
        var on = errors.NotInFuture(command.EffectiveOn, "effectiveOn", today);
        return (errors.Any ? null : new Promoted(jobId!.Value, tier, wage, on!.Value), errors);
    }

    public static Decision Decide(Promote command, Specialist specialist, CareerLadder ladder, DateOnly today) =>
        CareerDecider.Admit(Read(command, specialist, ladder, today), specialist, today);

    [WolverinePost("/api/specialists/{id}/promotions",
        Summary = "Record a promotion"), Access(Roles.Staff), Tags("Careers")]
    [ProducesResponseType<Appended.Response>(201)]
    public static (IResult, Events) Post(Promote command, [WriteAggregate("id")] Specialist specialist,
        CareerLadder ladder, TimeProvider clock)
        => Decide(command, specialist, ladder, clock.Today()).ToHttp(specialist, command.JobId);
}

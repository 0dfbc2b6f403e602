using Trajectories.Access;
using System.Text.Json;
using Marten;
using Trajectories.Http;
using Wolverine.Http;
using Wolverine.Marten;

namespace Trajectories.Careers.Correcting;

/// <summary>
/// Fix a wrong entry: either corrected fields (by their names in the timeline's data, e.g. {"startedOn": "2022-03-02"})
/// or void = true for an entry recorded in error. The original stays in the stream; the correction supersedes it.
/// </summary>
public sealed record Correct(Guid? EventId, Dictionary<string, JsonElement>? Changes, bool? Void, string? Reason);

public static class CorrectEndpoint
{
    public static Decision Decide(Correct command, Specialist specialist, CareerLadder ladder, DateOnly today)
    {
        var errors = new RequestErrors();
        var eventId = errors.Required(command.EventId, "eventId");
        var reason = errors.Required(command.Reason, "reason", 500);
        var voiding = command.Void == true;
        var changes = command.Changes ?? [];
        if (voiding == changes.Count > 0)
            errors.Add("changes", "correction-needs-one-kind", "Send either 'changes' (the corrected fields) or 'void': true, not both and not neither.");
        if (errors.Any) return errors.AsRejection();

        var target = specialist.History().All.FirstOrDefault(e => e.Recorded.EventId == eventId);
        if (target is null)
            return specialist.Entries.Any(e => e.EventId == eventId)
                ? Rejection.Conflict("cannot-correct-a-correction", $"Event {eventId} is itself a correction; correct the original event instead.", "eventId")
                : Rejection.Conflict("event-not-found", $"Event {eventId} is not in this specialist's history.", "eventId");
        if (target.IsVoided)
            return Rejection.Conflict("event-voided", $"Event {eventId} was voided; record a new event instead.", "eventId");

        CareerEvent correction;
        if (voiding)
        {
            if (target.Event is SpecialistCertified)
                return Rejection.Conflict("cannot-void-certification", "The certification starts the record and cannot be voided; correct its fields instead.", "eventId");
            correction = new EventVoided(eventId!.Value, reason, today);
        }
        else
        {
            if (!CareerHistory.TryPatch(target.Event, changes, out var patched, out var problem))
                return Rejection.BadRequest("invalid-correction", $"Cannot correct event {eventId}: {problem}", "changes");
            if (CorrectedValues.Problem(patched, ladder) is { } invalid)
                return Rejection.BadRequest("invalid-correction", $"Cannot correct event {eventId}: {invalid}", "changes");
            if (patched.EffectiveOn > today)
                return Rejection.BadRequest("future-date", $"The corrected date {patched.EffectiveOn:yyyy-MM-dd} is in the future.", "changes");
            correction = new EventCorrected(eventId!.Value, changes, reason, today);
        }

        return CareerDecider.Append(specialist, correction, today);
    }

    [WolverinePost("/api/specialists/{id}/corrections"), Access(Roles.Staff), Tags("Careers")]
    public static async Task<(IResult, Events)> Post(Correct command, [WriteAggregate("id")] Specialist specialist,
        CareerLadder ladder, IQuerySession session, TimeProvider clock, HttpContext context)
    {
        var decision = Decide(command, specialist, ladder, clock.Today());
        // A scoped key cannot move a person into a state it does not see (it would lose them, and write outside its scope).
        if (decision.IsAccepted && decision.Events[0] is EventCorrected { Changes: var changed } && changed.TryGetValue("state", out var moved)
            && moved.ValueKind == JsonValueKind.String && !Caller.From(context.User).Sees(moved.GetString()!.ToUpperInvariant()))
            decision = Scope.OutOfScope(moved.GetString()!, "changes");
        // A corrected certification may claim a number another specialist holds in that state.
        if (decision.IsAccepted && decision.Events[0] is EventCorrected c
            && CareerHistory.From([.. specialist.Entries, new CareerEntry(Guid.NewGuid(), specialist.Version + 1, default, null, c)])
                .Certification is { } cert
            && (cert.State != specialist.State || cert.CertificationNumber != specialist.CertificationNumber)
            && await CertificationNumbers.HolderAsync(session, cert.State, cert.CertificationNumber, specialist.Id) is { } holder)
            decision = CertificationNumbers.Duplicate(cert.State, cert.CertificationNumber, holder);
        return decision.ToHttp(specialist);
    }
}

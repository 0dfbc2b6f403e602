using Microsoft.AspNetCore.Mvc;
using System.Text.Json;
using Marten;
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
    /// <summary>
    /// The one decision of a correction: the request, the entry it fixes, the values it leaves, the caller's scope (a
    /// scoped key cannot move a person into a state it does not see) and a corrected number's uniqueness.
    /// </summary>
    public static async ValueTask<Decision> DecideAsync(Correct command, Specialist specialist, CareerLadder ladder,
        Caller caller, DateOnly today, NumberHolder holder)
    {
        var errors = new RequestErrors();
        var eventId = errors.Required(command.EventId, "eventId");
        var reason = errors.Required(command.Reason, "reason", 500);
        var voiding = command.Void == true;
        var changes = command.Changes ?? [];
        if (voiding == changes.Count > 0)
            errors.Add("changes", "correction-needs-one-kind",
                "Send either 'changes' (the corrected fields) or 'void': true, not both and not neither.");
        if (errors.Any) return errors.AsRejection();

        var target = specialist.History().All.FirstOrDefault(e => e.Recorded.EventId == eventId);
        if (target is null)
            return specialist.Entries.Any(e => e.EventId == eventId)
                ? Rejection.Conflict("cannot-correct-a-correction",
                    $"Event {eventId} is itself a correction; correct the original event instead.", "eventId")
                : Rejection.Conflict("event-not-found", $"Event {eventId} is not in this specialist's history.",
                    "eventId");
        if (target.IsVoided)
            return Rejection.Conflict("event-voided", $"Event {eventId} was voided; record a new event instead.",
                "eventId");

        CareerEvent correction;
        if (voiding)
        {
            if (target.Event is SpecialistCertified)
                return Rejection.Conflict("cannot-void-certification",
                    "The certification starts the record and cannot be voided; correct its fields instead.", "eventId");
            correction = new EventVoided(eventId!.Value, reason, today);
        }
        else
        {
            // Every key in the event's own spelling before anything reads it: the patch, the rules, the scope check,
            // erasure's mask and the stored correction all see one name per field.
            var fields = CorrectedValues.Fields(target.Event);
            var canonical = new Dictionary<string, JsonElement>();
            foreach (var (key, value) in changes)
            {
                var field = fields.FirstOrDefault(f => string.Equals(f, key, StringComparison.OrdinalIgnoreCase));
                if (field is null)
                    return Invalid(eventId, $"'{(key.Length > 60 ? key[..60] + "…" : key)}' is not a field of a "
                        + $"{CareerJson.KindOf(target.Event)} event "
                        + $"that can be corrected; its fields are: {string.Join(", ", fields)}.");
                if (!canonical.TryAdd(field, value)) return Invalid(eventId, $"'{field}' is given twice.");
            }
            if (!CareerHistory.TryPatch(target.Event, canonical, out var patched, out var problem))
                return Invalid(eventId, problem);
            var (corrected, problems) = CorrectedValues.Validate(patched, specialist, ladder, today);
            if (corrected is null)
                return Invalid(eventId, string.Join(" ", problems.Items.Select(e => e.Message)));
            if (corrected is SpecialistCertified certified && !caller.Sees(certified.State))
                return Scope.OutOfScope(certified.State, "changes");
            if (corrected is SpecialistCertified { State: var state, CertificationNumber: var number }
                && (state != specialist.State || number != specialist.CertificationNumber)
                && await holder(state, number) is { } other)
                return CertificationNumbers.Duplicate(state, number, other);
            // The stored values are the corrected event's own, as its command reads them (trimmed, canonical case).
            var stored = JsonSerializer.SerializeToElement(corrected, corrected.GetType(), CareerJson.Options);
            changes = canonical.Keys.ToDictionary(f => f, f => stored.GetProperty(f).Clone());
            correction = new EventCorrected(eventId!.Value, changes, reason, today);
        }

        return CareerDecider.Admit(specialist, correction, today);
    }

    private static Rejection Invalid(Guid? eventId, string problem) =>
        Rejection.BadRequest("invalid-correction", $"Cannot correct event {eventId}: {problem}", "changes");

    [WolverinePost("/api/specialists/{id}/corrections",
        Summary = "Correct or void an entry"), Access(Roles.Staff), Tags("Careers")]
    [ProducesResponseType<Appended.Response>(201)]
    public static async Task<(IResult, Events)> Post(Correct command, [WriteAggregate("id")] Specialist specialist,
        CareerLadder ladder, IQuerySession session, TimeProvider clock, HttpContext context)
    {
        var decision = await DecideAsync(command, specialist, ladder, Caller.From(context.User), clock.Today(),
            CertificationNumbers.In(session, specialist.Id));
        return decision.ToHttp(specialist);
    }
}

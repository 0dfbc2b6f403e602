using System.Text.Json;
using Marten;
using Trajectories.Careers;
using Trajectories.Careers.Registering;
using Wolverine;

namespace Trajectories.Ingestion;

/// <summary>
/// Accepting CloudEvents, the same way for every channel (HTTP, RabbitMQ, files): each event not seen before is
/// inserted into the ingestion log (unique on source + id) inside the transaction that also stores its durable
/// "apply" message, so a duplicate sent at the same moment waits for the first one's commit and is then seen as a
/// duplicate. What can be checked without the person's history is checked here; the history's rules are checked when
/// the event is applied.
/// </summary>
public static class Intake
{
    public static async Task<List<IngestResult>> AcceptAsync(
        IDocumentSession session, IMessageBus bus, ApplyGroups groups, IReadOnlyList<CloudEvent> events, Caller caller,
        CareerLadder ladder, string channel, string? correlationId, DateTimeOffset now, CancellationToken ct,
        ISourceBindings? bindings = null)
    {
        var (results, accepted) =
            await RecordAsync(session, events, caller, ladder, channel, correlationId, now, ct, bindings);
        await groups.SendAsync(bus, accepted.OfType<IngestedEvent>());
        foreach (var r in results) IngestMetrics.CountAnswered(r.Status, channel);
        return results;
    }

    /// <summary>
    /// Inserts the events not seen before (pending, or rejected by the first checks) in the session's transaction:
    /// the result per event, and per event the accepted record to apply (null for duplicates and rejections).
    /// </summary>
    public static async Task<(List<IngestResult> Results, List<IngestedEvent?> Accepted)> RecordAsync(
        IDocumentSession session, IReadOnlyList<CloudEvent> events, Caller caller, CareerLadder ladder, string channel,
        string? correlationId, DateTimeOffset now, CancellationToken ct, ISourceBindings? bindings = null)
    {
        var docs = new List<IngestedEvent?>();
        var firstOfKey = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var key = IngestedEvent.KeyOf(e.Source, e.Id);
            docs.Add(firstOfKey.Add(key)
                ? new IngestedEvent
                {
                    Id = Guid.CreateVersion7(), Key = key, Source = e.Source, EventId = e.Id, Type = e.Type,
                    Subject = e.Subject,
                    SubjectKey = e.Subject is null ? CertifiedKey(e) : Subject.Parse(e.Subject)?.Key,
                    // One microsecond apart in the order sent (timestamptz keeps microseconds): arrival order is
                    // (received_at, id) everywhere, and version 7 ids made in one millisecond do not sort.
                    Payload = e.Raw, Channel = channel, ReceivedAt = now.AddTicks(10 * docs.Count),
                    ReceivedBy = caller.RecordedBy,
                    Scope = caller.States?.Order(StringComparer.Ordinal).ToList() ?? [], CorrelationId = correlationId,
                }
                : null);
        }

        // The first checks before the insert, so a record is stored once with its final first-check outcome.
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var refusals = new Rejection?[events.Count];
        var notTheirs = bindings is null
            ? new Dictionary<string, Rejection>()
            : await bindings.RefusedAsync(caller, events.Select(e => e.Source).Distinct().ToList(), ct);
        var statesById = await StatesAsync(session, events, ct);
        for (var i = 0; i < events.Count; i++)
            if (docs[i] is { } doc
                && (refusals[i] = notTheirs.GetValueOrDefault(events[i].Source)
                    ?? await PrecheckAsync(events[i], caller, ladder, today, statesById)) is { } refusal)
                doc.Reject(refusal.Rule, refusal.Detail, now);
        // An event refused because it is not the caller's to send reserves nothing: another key's (source, id) stays
        // free for the sender it belongs to.
        var reserving = docs.Select((d, i) => refusals[i] is { } r && ReservesNothing(r) ? null : d)
            .OfType<IngestedEvent>().ToList();
        var inserted = await IngestLog.InsertNewAsync(session, reserving, ct);

        var results = new List<IngestResult>();
        var accepted = new List<IngestedEvent?>();
        for (var i = 0; i < events.Count; i++)
        {
            var doc = docs[i];
            if (refusals[i] is { } unreserved && ReservesNothing(unreserved))
            {
                results.Add(new IngestResult(events[i].Id, IngestStatus.Rejected, unreserved.Rule, unreserved.Detail));
                accepted.Add(null);
            }
            else if (doc is null || !inserted.Contains(doc.Key))
            {
                results.Add(new IngestResult(events[i].Id, IngestStatus.Duplicate));
                accepted.Add(null);
            }
            else if (refusals[i] is { } refusal)
            {
                results.Add(new IngestResult(events[i].Id, IngestStatus.Rejected, refusal.Rule, refusal.Detail));
                accepted.Add(null);
            }
            else
            {
                results.Add(new IngestResult(events[i].Id, IngestStatus.Accepted));
                accepted.Add(doc);
            }
        }
        return (results, accepted);
    }

    /// <summary>The state of each person an event names by our id, in one query.</summary>
    private static async Task<IReadOnlyDictionary<Guid, string>> StatesAsync(
        IQuerySession session, IReadOnlyList<CloudEvent> events, CancellationToken ct)
    {
        var ids = events.Select(e => e.Subject is null ? null : Subject.Parse(e.Subject)?.Id).OfType<Guid>()
            .Distinct().ToArray();
        if (ids.Length == 0) return new Dictionary<Guid, string>();
        var found = await session.Query<Specialist>().Where(s => s.Id.IsOneOf(ids))
            .Select(s => new { s.Id, s.State }).ToListAsync(ct);
        return found.ToDictionary(x => x.Id, x => x.State);
    }

    /// <summary>
    /// Refusals for events the caller may not send at all: out of its states, or another key's source.
    /// </summary>
    private static bool ReservesNothing(Rejection r) =>
        r.Rule is Scope.OutOfScopeRule or ApplyIngestedHandler.NotFound or ISourceBindings.NotAllowed;

    /// <summary>
    /// STATE:number from a certified event's data, for one that leaves its subject out (null otherwise).
    /// </summary>
    private static string? CertifiedKey(CloudEvent e) =>
        e.Type == IngestType.Prefix + IngestType.Certified + IngestType.Suffix
        && e.Data is { ValueKind: JsonValueKind.Object } data
        && data.TryGetProperty("state", out var state) && state.ValueKind == JsonValueKind.String
        && data.TryGetProperty("certificationNumber", out var number) && number.ValueKind == JsonValueKind.String
        && Subject.Parse($"{state.GetString()}:{number.GetString()}") is { Key: { } key } ? key : null;

    /// <summary>
    /// What can be refused before the person's history is read: the type, the data's shape, the subject, the scope.
    /// </summary>
    public static async ValueTask<Rejection?> PrecheckAsync(CloudEvent e, Caller caller, CareerLadder ladder,
        DateOnly today, IReadOnlyDictionary<Guid, string>? statesById = null)
    {
        var type = IngestType.Find(e.Type);
        if (type is null)
            return new("unknown-type", 422,
                $"'{e.Type}' is not an event type we take; types are {IngestType.Prefix}<kind>{IngestType.Suffix}" +
                $" with kind one of: {string.Join(", ", IngestType.All.Select(t => t.Kind))}.");
        if (e.Data is not { ValueKind: JsonValueKind.Object } data)
            return new("invalid-data", 422, "'data' must be a JSON object with the event's fields.");
        try
        {
            if (type.Kind == IngestType.Certified)
            {
                // The registration's own decision; whether the number is taken is decided when the event is applied.
                var decision = await RegisterSpecialistEndpoint.DecideAsync(IngestType.Read<RegisterSpecialist>(data),
                    caller, today, CertificationNumbers.NobodyYet);
                if (decision.Rejection is { } refused)
                    return refused.Status == 400 ? refused with { Status = 422 } : refused;
                var certified = (SpecialistCertified)decision.Events[0];
                if (e.Subject is not null)
                {
                    var named = Subject.Parse(e.Subject);
                    if (named?.Number is null)
                        return new("invalid-subject", 422,
                            "The subject of a certified event is STATE:certificationNumber (or left out).");
                    if (named.State != certified.State || named.Number != certified.CertificationNumber)
                        return new("subject-mismatch", 422,
                            $"The subject {e.Subject} does not match the data's state and certification number.");
                }
            }
            else
            {
                // Whom the event is about comes first: an event about someone the key may not see is refused as
                // such whatever else is wrong with it, so it reserves nothing (see RecordAsync).
                if (e.Subject is null || Subject.Parse(e.Subject) is not { } subject)
                    return new("invalid-subject", 422,
                        "'subject' names the person: our specialist id, or STATE:certificationNumber (e.g. OR:12345).");
                if (subject.State is { } state && !caller.Sees(state))
                    return new("specialist-not-found", 422, $"No specialist {e.Subject} is known to this key.");
                // Our ids are made at registration: an id that is not a person's now never will be, and a person in
                // a state the key may not see is answered the same way.
                if (subject.Id is { } id && statesById is not null
                    && !(statesById.TryGetValue(id, out var of) && caller.Sees(of)))
                    return new("specialist-not-found", 422, $"No specialist {e.Subject} is known to this key.");
                // Everything the command's request alone decides is answered now (dates, ranges, vocabulary, text
                // that cannot be stored); what needs the person's history is decided when the event is applied.
                if (type.Check!(data, ladder, today) is { Any: true } errors)
                    return errors.AsRejection() with { Status = 422 };
            }
        }
        catch (JsonException ex)
        {
            return new("invalid-data", 422,
                $"'data' does not have the fields of a {type.Kind} event" + (ex.Path is { } p ? $" (at {p})." : "."));
        }
        return null;
    }
}

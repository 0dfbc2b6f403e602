using System.Text.Json;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Trajectories.Access;
using Trajectories.Careers;
using Trajectories.Careers.Registering;
using Wolverine;

namespace Trajectories.Ingestion;

public sealed record IngestResult(
    string Id, string Status,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Rule = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Detail = null);

/// <summary>
/// Accepting CloudEvents, the same way for every channel (HTTP, RabbitMQ, files): the (source, id) key is reserved
/// in ingest_keys inside the transaction that stores the event and its durable "apply" message, so a duplicate
/// sent at the same moment waits for the first one's commit and is then seen as a duplicate. What can be checked
/// without the person's history is checked here; the history's rules are checked when the event is applied.
/// </summary>
public static class Intake
{
    public const string KeysTable = "ingest_keys";

    public static async Task<List<IngestResult>> AcceptAsync(
        IDocumentSession session, IMessageBus bus, IReadOnlyList<CloudEvent> events, Caller caller, string channel,
        string? correlationId, DateTimeOffset now, CancellationToken ct)
    {
        var (results, accepted) = await RecordAsync(session, events, caller, channel, correlationId, now, ct);
        // One apply message per run of events from one source, in arrival order (the queue is sequential).
        var run = new List<Guid>();
        string? runSource = null;
        foreach (var doc in accepted.OfType<IngestedEvent>())
        {
            if (runSource is not null && runSource != doc.Source) await PublishAsync(bus, run);
            runSource = doc.Source;
            run.Add(doc.Id);
        }
        await PublishAsync(bus, run);
        return results;
    }

    /// <summary>
    /// Stores the events not seen before (pending, or rejected by the first checks) in the session, without saving it:
    /// the result per event, and per event the accepted record to apply (null for duplicates and rejections).
    /// </summary>
    public static async Task<(List<IngestResult> Results, List<IngestedEvent?> Accepted)> RecordAsync(
        IDocumentSession session, IReadOnlyList<CloudEvent> events, Caller caller, string channel,
        string? correlationId, DateTimeOffset now, CancellationToken ct)
    {
        var docs = new List<IngestedEvent?>();
        var firstOfKey = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            var key = IngestedEvent.KeyOf(e.Source, e.Id);
            docs.Add(firstOfKey.Add(key)
                ? new IngestedEvent
                {
                    Id = Guid.CreateVersion7(), Key = key, Source = e.Source, EventId = e.Id, Type = e.Type, Subject = e.Subject,
                    SubjectKey = e.Subject is null ? null : Subject.Parse(e.Subject)?.Key,
                    Payload = e.Raw, Channel = channel, ReceivedAt = now, ReceivedBy = caller.RecordedBy,
                    Scope = caller.States?.Order(StringComparer.Ordinal).ToList() ?? [], CorrelationId = correlationId,
                }
                : null);
        }

        var candidates = docs.OfType<IngestedEvent>().ToList();
        var reserved = await ReserveAsync(session, candidates, ct);
        var results = new List<IngestResult>();
        var accepted = new List<IngestedEvent?>();
        for (var i = 0; i < events.Count; i++)
        {
            var doc = docs[i];
            if (doc is null || !reserved.Contains(doc.Key))
            {
                results.Add(new IngestResult(events[i].Id, "duplicate"));
                accepted.Add(null);
                continue;
            }
            if (Precheck(events[i], caller, DateOnly.FromDateTime(now.UtcDateTime)) is { } refusal)
            {
                doc.Reject(refusal.Rule, refusal.Detail, now);
                results.Add(new IngestResult(events[i].Id, IngestStatus.Rejected, refusal.Rule, refusal.Detail));
                accepted.Add(null);
            }
            else
            {
                results.Add(new IngestResult(events[i].Id, "accepted"));
                accepted.Add(doc);
            }
            session.Insert(doc);
        }
        return (results, accepted);
    }

    private static async Task PublishAsync(IMessageBus bus, List<Guid> ids)
    {
        if (ids.Count == 0) return;
        await bus.PublishAsync(new ApplyIngested(ids.ToArray()));
        ids.Clear();
    }

    /// <summary>Reserves the keys not seen before, in key order (two batches never wait on each other in a cycle).</summary>
    private static async Task<HashSet<string>> ReserveAsync(IDocumentSession session, List<IngestedEvent> docs, CancellationToken ct)
    {
        if (docs.Count == 0) return [];
        await session.BeginTransactionAsync(ct);
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        await using var command = new NpgsqlCommand(
            $"insert into {schema}.{KeysTable} (key, ingested_id) " +
            "select k, i from unnest(@keys, @ids) as t(k, i) order by k on conflict (key) do nothing returning key",
            session.Connection);
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = docs.Select(d => d.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = docs.Select(d => d.Id).ToArray() });
        var reserved = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) reserved.Add(reader.GetString(0));
        return reserved;
    }

    /// <summary>What can be refused before the person's history is read: the type, the data's shape, the subject, the scope.</summary>
    public static Rejection? Precheck(CloudEvent e, Caller caller, DateOnly today)
    {
        var type = IngestType.Find(e.Type);
        if (type is null)
            return new("unknown-type", 422, $"'{e.Type}' is not an event type we take; types are {IngestType.Prefix}<kind>{IngestType.Suffix} with kind one of: {string.Join(", ", IngestType.All.Select(t => t.Kind))}.");
        if (e.Data is not { ValueKind: JsonValueKind.Object } data)
            return new("invalid-data", 422, "'data' must be a JSON object with the event's fields.");
        try
        {
            if (type.Kind == IngestType.Certified)
            {
                var register = IngestType.Read<RegisterSpecialist>(data);
                var (certified, errors) = RegisterSpecialistEndpoint.Validate(register, today);
                if (certified is null) return errors.AsRejection() with { Status = 422 };
                if (!caller.Sees(certified.State)) return Scope.OutOfScope(certified.State, "data.state");
                if (e.Subject is not null)
                {
                    var named = Subject.Parse(e.Subject);
                    if (named?.Number is null)
                        return new("invalid-subject", 422, "The subject of a certified event is STATE:certificationNumber (or left out).");
                    if (named.State != certified.State || named.Number != certified.CertificationNumber)
                        return new("subject-mismatch", 422, $"The subject {e.Subject} does not match the data's state and certification number.");
                }
            }
            else
            {
                // The data must at least read as the command's body; its values are judged with the history.
                JsonSerializer.Deserialize(data, type.Data, CareerJson.Options);
                if (e.Subject is null || Subject.Parse(e.Subject) is not { } subject)
                    return new("invalid-subject", 422, "'subject' names the person: our specialist id, or STATE:certificationNumber (e.g. OR:12345).");
                if (subject.State is { } state && !caller.Sees(state))
                    return new("specialist-not-found", 422, $"No specialist {e.Subject} is known to this key.");
            }
        }
        catch (JsonException ex)
        {
            return new("invalid-data", 422, $"'data' does not have the fields of a {type.Kind} event" + (ex.Path is { } p ? $" (at {p})." : "."));
        }
        return null;
    }
}

/// <summary>A CloudEvent subject: our specialist id, or STATE:certificationNumber.</summary>
public sealed record Subject(Guid? Id, string? State, string? Number)
{
    public static Subject? Parse(string subject)
    {
        if (Guid.TryParse(subject, out var id)) return new(id, null, null);
        var colon = subject.IndexOf(':');
        if (colon != 2) return null;
        var state = subject[..2].ToUpperInvariant();
        var number = subject[3..].Trim();
        if (!state.All(char.IsAsciiLetterUpper) || number.Length is 0 or > 64) return null;
        return new(null, state, number);
    }

    /// <summary>STATE:number, or null for a subject that is our id.</summary>
    public string? Key => State is null ? null : KeyOf(State, Number!);

    public static string KeyOf(string state, string number) => $"{state}:{number}";
}

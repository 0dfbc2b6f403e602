using System.Text.Json;
using Marten;
using Trajectories.Careers;
using Trajectories.Careers.Registering;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Trajectories.Ingestion;

/// <summary>
/// Applies accepted events to their streams, in acceptance order, each through its command's Decide. The events and
/// the records' outcomes (in the ingestion log) are saved in one transaction (Wolverine's transactional middleware),
/// so a crash leaves an event either pending (it is applied when the durable message is delivered again) or applied,
/// never both.
/// </summary>
public static class ApplyIngestedHandler
{
    public static async Task Handle(
        ApplyIngested message, IDocumentSession session, IMessageBus bus, ApplyGroups groups, CareerLadder ladder,
        TimeProvider clock, CancellationToken ct)
    {
        // In the order they were accepted (the message's order: version 7 ids made in one millisecond do not sort).
        var loaded = (await IngestLog.LoadAsync(session, message.Ids, ct)).ToDictionary(d => d.Id);
        var docs = message.Ids.Where(loaded.ContainsKey).Select(id => loaded[id])
            .Where(d => d.Status == IngestStatus.Pending).ToList();
        var waiting = await ApplyAsync(session, docs, ladder, clock.GetUtcNow(), ct);
        await groups.SendAsync(bus, waiting);
    }

    /// <summary>
    /// Wolverine reads this once at start-up. A failure other than a lost race (those are retried, see
    /// IngestionConfiguration) means one event of the message could not be stored: rather than retry the whole
    /// message into the dead letters and strand its good events, its events are applied one by one, each in its own
    /// transaction, and the one that fails again becomes a rejection with its rule and payload.
    /// </summary>
    public static void Configure(HandlerChain chain) =>
        chain.OnException(e => !LostRace(e), "isolate-failing-event").CustomAction(async (runtime, lifecycle, ex) =>
        {
            if (lifecycle.Envelope?.Message is ApplyIngested message)
                await IsolateAsync(runtime.Services, message, ex);
            await lifecycle.CompleteAsync();
        }, "apply one by one; reject what cannot be stored");

    private static bool LostRace(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException)
                return true;
        return false;
    }

    public const string CannotApply = "cannot-apply";

    private static async Task IsolateAsync(IServiceProvider services, ApplyIngested message, Exception failure)
    {
        var store = services.GetRequiredService<IDocumentStore>();
        var ladder = services.GetRequiredService<CareerLadder>();
        var clock = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILogger<ApplyIngested>>();
        logger.LogWarning("Applying {Count} ingested events failed ({Type}); applying them one by one",
            message.Ids.Length, failure.GetType().Name);
        foreach (var id in message.Ids)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var session = store.LightweightSession();
                    var docs = (await IngestLog.LoadAsync(session, [id], CancellationToken.None))
                        .Where(d => d.Status == IngestStatus.Pending).ToList();
                    // Events waiting for a person this one creates follow it in the same transaction.
                    while (docs.Count > 0) docs = await ApplyAsync(session, docs, ladder, clock.GetUtcNow(), default);
                    await session.SaveChangesAsync();
                    break;
                }
                catch (Exception e) when (LostRace(e) && attempt < 3)
                {
                    await Task.Delay(50 * attempt);
                }
                catch (Exception e) when (!LostRace(e))
                {
                    await RejectAsync(store, id, e, clock.GetUtcNow());
                    logger.LogWarning("Ingested event {Id} could not be stored ({Type}); rejected {Rule}",
                        id, e.GetType().Name, CannotApply);
                    break;
                }
            }
        }
    }

    private static async Task RejectAsync(IDocumentStore store, Guid id, Exception failure, DateTimeOffset now)
    {
        await using var session = store.LightweightSession();
        if ((await IngestLog.LoadAsync(session, id, CancellationToken.None)) is not { } doc) return;
        doc.Attempts++;
        doc.Reject(CannotApply, $"The event could not be stored ({failure.GetType().Name}); "
            + "correct what it sends and send it with a new id, or retry it once the cause is fixed.", now);
        IngestLog.QueueOutcomes(session, [doc]);
        await session.SaveChangesAsync();
    }

    /// <summary>
    /// Decides and appends pending events in the given order, in the session (the caller saves it). Returns the
    /// events that were waiting for a person this batch created, made pending again: the caller applies them next.
    /// </summary>
    public static async Task<List<IngestedEvent>> ApplyAsync(
        IDocumentSession session, IReadOnlyList<IngestedEvent> docs, CareerLadder ladder, DateTimeOffset now,
        CancellationToken ct)
    {
        if (docs.Count == 0) return [];
        var first = docs[0];
        session.LastModifiedBy = first.ReceivedBy;
        session.CorrelationId = first.CorrelationId;
        session.SetHeader(RecordedHeaders.Role, Roles.Integration);
        session.SetHeader(RecordedHeaders.Channel, $"integration:{first.Source}");

        var people = new People(session);
        await people.PreloadAsync(docs, ct);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var created = new List<string>();
        var batch = docs.Select(d => d.Id).ToArray();
        // People with an event of this batch waiting for earlier ones: their later events of the batch wait too.
        var waiting = new HashSet<string>(StringComparer.Ordinal);
        // Each event's person keys, found once: the wait check and the wake-up below both need them.
        var keysOf = new Dictionary<Guid, string[]>();
        foreach (var doc in docs)
        {
            doc.Attempts++;
            var outcome = await DecideAsync(doc, people, ladder, today, ct);
            var keys = keysOf[doc.Id] = await people.KeysOfAsync(doc, ct);
            if (keys.Length > 0 && (keys.Any(waiting.Contains) || (outcome.Rejection is { Status: 409 }
                    && await IngestLog.EarlierPendingAsync(session, doc, keys, batch, ct) > 0)))
            {
                // Refused by the person's history while earlier events about them are accepted but not applied (a
                // node died holding them, issue 18): decided after them, on whichever node applies them.
                waiting.UnionWith(keys);
                doc.Wait(WaitsForEarlier, "Waits for earlier events about this person that were accepted but are not " +
                    "applied yet; it is decided after them, with no retry needed.", now);
            }
            else if (outcome.Rejection is { } r) doc.Reject(r.Rule, r.Detail, now);
            else
            {
                var (specialist, events, isNew) = outcome;
                if (events.Count > 0)
                {
                    if (isNew)
                    {
                        session.Events.StartStream<Specialist>(specialist!.Id, events);
                    }
                    else session.Events.Append(specialist!.Id, events);
                    people.Record(specialist, events, now);
                    if (isNew) created.Add(Subject.KeyOf(specialist.State, specialist.CertificationNumber));
                }
                doc.Applied(specialist!.Id, now);
            }
        }
        // Every record's outcome in one statement, committed with the events it describes.
        IngestLog.QueueOutcomes(session, docs);
        foreach (var doc in docs)
            IngestMetrics.CountDecided(doc.Status == IngestStatus.Pending ? "waiting" : doc.Status);
        var decided = new HashSet<string>(StringComparer.Ordinal);
        foreach (var doc in docs.Where(d => d.Status != IngestStatus.Pending))
            decided.UnionWith(keysOf[doc.Id]);
        return [.. await WaitingForAsync(session, created, docs, ct), .. await AfterAsync(session, decided, docs, ct)];
    }

    public const string WaitsForEarlier = "waiting-for-earlier-events";

    /// <summary>
    /// Events that waited for earlier events about these people (whose events this batch decided) go again, in
    /// arrival order; one that still has earlier events pending waits again. A wake-up lost to a race with another
    /// node is made up by <see cref="WakeWaitingEvents"/>.
    /// </summary>
    private static async Task<List<IngestedEvent>> AfterAsync(
        IDocumentSession session, HashSet<string> decided, IReadOnlyList<IngestedEvent> batch, CancellationToken ct)
    {
        if (decided.Count == 0) return [];
        var inBatch = batch.Select(d => d.Id).ToHashSet();
        var waiting = (await IngestLog.WaitingAfterAsync(session, decided, ct)).Where(x => !inBatch.Contains(x.Id))
            .ToList();
        foreach (var doc in waiting) doc.Wake();
        IngestLog.QueueOutcomes(session, waiting);
        return waiting;
    }

    /// <summary>
    /// Events about a person that arrived before the person's certified event (another system, another channel, or
    /// a queue that overtook) were rejected as specialist-not-found. Once the certified event creates the person they
    /// are made pending again, in arrival order, in the same transaction: nobody has to press retry for an ordering
    /// accident.
    /// </summary>
    private static async Task<List<IngestedEvent>> WaitingForAsync(
        IDocumentSession session, List<string> created, IReadOnlyList<IngestedEvent> batch, CancellationToken ct)
    {
        if (created.Count == 0) return [];
        var inBatch = batch.Select(d => d.Id).ToHashSet();
        var waiting = (await IngestLog.WaitingForAsync(session, created, NotFound, ct))
            .Where(x => !inBatch.Contains(x.Id)).ToList();
        foreach (var doc in waiting) doc.Status = IngestStatus.Pending;
        IngestLog.QueueOutcomes(session, waiting);
        return waiting;
    }

    public const string NotFound = "specialist-not-found";

    private sealed record Outcome(
        Specialist? Specialist, IReadOnlyList<CareerEvent> Events, bool IsNew, Rejection? Rejection = null)
    {
        public static implicit operator Outcome(Rejection r) => new(null, [], false, r);
        public void Deconstruct(out Specialist? s, out IReadOnlyList<CareerEvent> e, out bool n) =>
            (s, e, n) = (Specialist, Events, IsNew);
    }

    private static async Task<Outcome> DecideAsync(
        IngestedEvent doc, People people, CareerLadder ladder, DateOnly today, CancellationToken ct)
    {
        var scope = doc.Scope.Count == 0 ? null : doc.Scope.ToHashSet(StringComparer.Ordinal);
        using var payload = JsonDocument.Parse(doc.Payload);
        var root = payload.RootElement;
        JsonElement? data = root.TryGetProperty("data", out var d) ? d : null;
        // A retried rejection comes back through the same first checks as a new event. On the first attempt the
        // intake has just run them (same payload, same scope), and running them again would read the data twice.
        var envelope = new CloudEvent(doc.EventId, doc.Source, doc.Type, doc.Subject, null, data, doc.Payload);
        var caller = new Caller(doc.ReceivedBy, Roles.Integration, scope, "key");
        if (doc.Attempts > 1 && await Intake.PrecheckAsync(envelope, caller, ladder, today) is { } refused)
            return refused;
        var type = IngestType.Find(doc.Type)!;
        try
        {
            if (type.Kind == IngestType.Certified)
            {
                var registration = await RegisterSpecialistEndpoint.DecideAsync(
                    IngestType.Read<RegisterSpecialist>(data!.Value), caller, today,
                    async (state, number) => (await people.FindAsync(new Subject(null, state, number), ct))?.Id);
                return registration.Rejection is { } refusal
                    ? refusal
                    : new Outcome(People.New(), registration.Events, true);
            }

            var subject = Subject.Parse(doc.Subject ?? "");
            var specialist = subject is null ? null : await people.FindAsync(subject, ct);
            if (specialist is null || (scope is not null && !scope.Contains(specialist.State)))
                return new Rejection(NotFound, 404,
                    $"No specialist {doc.Subject} is known{(scope is null ? "" : " to this key")}" +
                    $"; send their certified event first, then retry this one.");
            var decision = type.Decide!(data!.Value, specialist, ladder, today);
            return decision.Rejection is { } rejection ? rejection : new Outcome(specialist, decision.Events, false);
        }
        catch (JsonException e)
        {
            return new Rejection(
                "invalid-data", 422, $"'data' does not have the fields of a {type.Kind} event ({e.Message}).");
        }
    }

    /// <summary>
    /// The people a batch touches, loaded once and kept up to date as the batch's events are decided.
    /// </summary>
    private sealed class People(IDocumentSession session)
    {
        private readonly Dictionary<Guid, Specialist> _byId = [];
        private readonly Dictionary<(string, string), Specialist> _byNumber = [];
        // Looked up in the preload and not there: no second query for them (a certified event in the batch adds them).
        private readonly HashSet<Guid> _absentIds = [];
        private readonly HashSet<(string, string)> _absentNumbers = [];

        /// <summary>Everyone the batch names, in two queries instead of one per event.</summary>
        public async Task PreloadAsync(IReadOnlyList<IngestedEvent> docs, CancellationToken ct)
        {
            var subjects = docs.Select(d => d.Subject is null ? null : Subject.Parse(d.Subject))
                .OfType<Subject>().ToList();
            var ids = subjects.Select(x => x.Id).OfType<Guid>().Distinct().ToArray();
            var numbers = subjects.Where(x => x.Number is not null).Select(x => (x.State!, x.Number!)).ToHashSet();
            // certified events carry the number in their data; their subject may be left out.
            foreach (var doc in docs.Where(d =>
                d.Subject is null && d.Type == IngestType.Prefix + IngestType.Certified + IngestType.Suffix))
            {
                using var payload = System.Text.Json.JsonDocument.Parse(doc.Payload);
                if (payload.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                    && data.TryGetProperty("state", out var st) && st.ValueKind == JsonValueKind.String
                    && data.TryGetProperty("certificationNumber", out var nr) && nr.ValueKind == JsonValueKind.String)
                    numbers.Add((st.GetString()!.ToUpperInvariant(), nr.GetString()!.Trim()));
            }
            if (ids.Length > 0)
            {
                foreach (var s in await session.LoadManyAsync<Specialist>(ct, ids)) Remember(s);
                _absentIds.UnionWith(ids.Where(id => !_byId.ContainsKey(id)));
            }
            if (numbers.Count > 0)
            {
                var wanted = numbers.Select(n => n.Item2).Distinct().ToArray();
                var states = numbers.Select(n => n.Item1).Distinct().ToArray();
                // Both columns of the unique (state, number) index, so the lookup is an index scan.
                foreach (var s in await session.Query<Specialist>()
                    .Where(s => s.State.IsOneOf(states) && s.CertificationNumber.IsOneOf(wanted))
                    .ToListAsync(ct))
                    if (numbers.Contains((s.State, s.CertificationNumber))) Remember(s);
                _absentNumbers.UnionWith(numbers.Where(n => !_byNumber.ContainsKey(n)));
            }
        }

        public async Task<Specialist?> FindAsync(Subject subject, CancellationToken ct)
        {
            if (subject.Id is { } id)
                return _byId.TryGetValue(id, out var known) ? known
                    : _absentIds.Contains(id) ? null
                    : Remember(await session.LoadAsync<Specialist>(id, ct));
            var key = (subject.State!, subject.Number!);
            if (_byNumber.TryGetValue(key, out var byNumber)) return byNumber;
            if (_absentNumbers.Contains(key)) return null;
            var found = await session.Query<Specialist>()
                .Where(s => s.State == subject.State && s.CertificationNumber == subject.Number)
                .FirstOrDefaultAsync(ct);
            return Remember(found);
        }

        /// <summary>
        /// Every log key of the person an event is about: its own (STATE:number or id:&lt;guid&gt;) and, when the
        /// person is known, the other spelling, so events naming one person both ways wait for each other.
        /// </summary>
        public async Task<string[]> KeysOfAsync(IngestedEvent doc, CancellationToken ct)
        {
            var keys = new List<string>(3);
            if (doc.SubjectKey is { } own) keys.Add(own);
            if (doc.Subject is { } text && Subject.Parse(text) is { } subject
                && await FindAsync(subject, ct) is { } person)
            {
                keys.Add(new Subject(person.Id, null, null).Key);
                if (person.State.Length > 0) keys.Add(Subject.KeyOf(person.State, person.CertificationNumber));
            }
            return keys.Distinct(StringComparer.Ordinal).ToArray();
        }

        /// <summary>
        /// A person the batch's certified event creates; <see cref="Record"/> folds the event into it.
        /// </summary>
        public static Specialist New() => new() { Id = Guid.CreateVersion7() };

        /// <summary>
        /// Later events of the batch see these ones, folded by the projection's own fold as a commit would.
        /// </summary>
        public void Record(Specialist specialist, IReadOnlyList<CareerEvent> events, DateTimeOffset now)
        {
            var version = specialist.Version;
            Remember(specialist.Record(
                events.Select(e => new CareerEntry(Guid.CreateVersion7(), ++version, now, null, e))));
        }

        private Specialist? Remember(Specialist? s)
        {
            if (s is null) return null;
            _byId[s.Id] = s;
            if (s.State.Length > 0) _byNumber[(s.State, s.CertificationNumber)] = s;
            return s;
        }
    }
}

using System.Data.Common;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Weasel.Postgresql.Tables;

namespace Trajectories.Ingestion;

/// <summary>
/// The ingestion log: one row per (source, id) ever received, with the payload as sent and what became of it. A plain
/// table rather than a Marten document: it is written once per event at acceptance and once more when the event is
/// applied, and as a document each of those was a JSON rewrite of the whole record (payload included) plus three
/// computed-index updates; as columns they are one set-based insert and one set-based update per batch
/// (docs/performance-notes.md#ingestion). The unique key is also the idempotency reservation.
/// </summary>
public static class IngestLog
{
    // The partial indexes' predicates, repeated word for word in the queries that should use them.
    private const string NotApplied = $"status <> '{IngestStatus.Applied}'";
    private const string IsRejected = $"status = '{IngestStatus.Rejected}'";

    public const string TableName = "ingested_events";

    private const string Columns =
        "id, key, source, event_id, type, subject, subject_key, payload, channel, received_at, received_by, " +
        "scope, correlation_id, status, rule, detail, specialist_id, decided_at, attempts";

    public static Table Table(string schema)
    {
        var table = new Table($"{schema}.{TableName}");
        table.AddColumn<Guid>("id").AsPrimaryKey();
        table.AddColumn("key", "text").NotNull();
        table.AddColumn("source", "text").NotNull();
        table.AddColumn("event_id", "text").NotNull();
        table.AddColumn("type", "text").NotNull();
        table.AddColumn("subject", "text");
        table.AddColumn("subject_key", "text");
        table.AddColumn("payload", "text").NotNull();
        table.AddColumn("channel", "text").NotNull();
        table.AddColumn("received_at", "timestamptz").NotNull();
        table.AddColumn("received_by", "text").NotNull();
        // The states the sender was limited to, comma-separated; empty: all.
        table.AddColumn("scope", "text").NotNull();
        table.AddColumn("correlation_id", "text");
        table.AddColumn("status", "text").NotNull();
        table.AddColumn("rule", "text");
        table.AddColumn("detail", "text");
        table.AddColumn("specialist_id", "uuid");
        table.AddColumn("decided_at", "timestamptz");
        table.AddColumn("attempts", "integer").NotNull();
        table.Indexes.Add(new IndexDefinition($"ux_{TableName}_key") { Columns = ["key"], IsUnique = true });
        // Applied rows are almost all of them and nothing looks them up by status: only the others are indexed. Each
        // index is one more entry written when a row is applied, so there are no others (a source is always asked for
        // together with a status, or in tests).
        table.Indexes.Add(new IndexDefinition($"ix_{TableName}_open")
        {
            Columns = ["status", "received_at"], Predicate = NotApplied,
        });
        table.Indexes.Add(new IndexDefinition($"ix_{TableName}_waiting")
        {
            Columns = ["subject_key"], Predicate = IsRejected,
        });
        // Events waiting for earlier ones about the same person (ApplyIngestedHandler.WaitsForEarlier): few or none,
        // so the index costs nothing on the rows that never wait.
        table.Indexes.Add(new IndexDefinition($"ix_{TableName}_after")
        {
            Columns = ["subject_key"], Predicate = WaitsForEarlier,
        });
        return table;
    }

    private const string WaitsForEarlier = $"rule = '{ApplyIngestedHandler.WaitsForEarlier}'";

    /// <summary>
    /// How many events about the same person as <paramref name="doc"/> (any of its log keys) arrived before it (by
    /// arrival time, then id: a strict order, so two events never wait for each other) and are still pending outside
    /// this batch.
    /// </summary>
    public static async Task<long> EarlierPendingAsync(
        IDocumentSession session, IngestedEvent doc, string[] keys, Guid[] batch, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select count(*) from {Qualified(session)} where status = '{IngestStatus.Pending}' and {NotApplied} " +
            "and subject_key = any(@keys) and (received_at, id) < (@at, @id) and id <> all(@batch)",
            session.Connection);
        command.Parameters.AddWithValue("keys", keys);
        command.Parameters.AddWithValue("at", doc.ReceivedAt);
        command.Parameters.AddWithValue("id", doc.Id);
        command.Parameters.AddWithValue("batch", batch);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Events waiting for earlier ones about these people (STATE:number), oldest first.</summary>
    public static Task<List<IngestedEvent>> WaitingAfterAsync(
        IQuerySession session, IReadOnlyCollection<string> subjectKeys, CancellationToken ct) =>
        QueryAsync(session, $"{WaitsForEarlier} and subject_key = any(@p0) and status = '{IngestStatus.Pending}' " +
            "order by received_at, id", ct, (object)subjectKeys.ToArray()); // one argument, not one per key

    /// <summary>
    /// Waiting events that waited longer than <paramref name="after"/> and have nothing earlier pending any more (the
    /// wake-up was lost to a race between nodes, or the earlier event failed to store): their wait time is restarted
    /// and they are returned, to be sent again. Rows another node is claiming are skipped.
    /// </summary>
    public static async Task<List<IngestedEvent>> ClaimStrandedAsync(
        IDocumentSession session, TimeSpan after, CancellationToken ct)
    {
        var t = Qualified(session);
        await using var command = new NpgsqlCommand(
            $"update {t} set decided_at = now() where id in (select w.id from {t} w " +
            $"where w.{WaitsForEarlier} and w.status = '{IngestStatus.Pending}' " +
            "and w.decided_at < now() - make_interval(secs => @after) and not exists (select 1 from " +
            $"{t} e where e.status = '{IngestStatus.Pending}' and e.{NotApplied} and e.subject_key = w.subject_key " +
            "and (e.received_at, e.id) < (w.received_at, w.id)) order by w.received_at, w.id limit 1000 " +
            "for update skip locked) returning id", session.Connection);
        command.Parameters.AddWithValue("after", after.TotalSeconds);
        var ids = new List<Guid>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
        return (await LoadAsync(session, ids, ct)).OrderBy(d => d.ReceivedAt).ThenBy(d => d.Id).ToList();
    }

    private static string Qualified(IQuerySession session) =>
        $"{session.DocumentStore.Options.DatabaseSchemaName}.{TableName}";

    /// <summary>
    /// Inserts the records whose key is new, in key order (two batches never wait on each other in a cycle), inside the
    /// session's transaction; returns the keys inserted. A key being inserted by another transaction waits for it to
    /// commit and is then a duplicate, so the same (source, id) sent at the same moment on two channels is recorded
    /// once.
    /// </summary>
    public static async Task<HashSet<string>> InsertNewAsync(
        IDocumentSession session, IReadOnlyList<IngestedEvent> docs, CancellationToken ct)
    {
        if (docs.Count == 0) return [];
        await session.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand(
            $"insert into {Qualified(session)} ({Columns}) " +
            $"select * from unnest({string.Join(", ", Columns.Split(", ").Select(c => "@" + c))}) " +
            "order by 2 on conflict (key) do nothing returning key",
            session.Connection);
        // One array per column, named as the column (the unnest above lists them in Columns' order).
        Array(command, "id", NpgsqlDbType.Uuid, docs.Select(d => d.Id));
        Array(command, "key", NpgsqlDbType.Text, docs.Select(d => d.Key));
        Array(command, "source", NpgsqlDbType.Text, docs.Select(d => d.Source));
        Array(command, "event_id", NpgsqlDbType.Text, docs.Select(d => d.EventId));
        Array(command, "type", NpgsqlDbType.Text, docs.Select(d => d.Type));
        Array(command, "subject", NpgsqlDbType.Text, docs.Select(d => d.Subject));
        Array(command, "subject_key", NpgsqlDbType.Text, docs.Select(d => d.SubjectKey));
        Array(command, "payload", NpgsqlDbType.Text, docs.Select(d => d.Payload));
        Array(command, "channel", NpgsqlDbType.Text, docs.Select(d => d.Channel));
        Array(command, "received_at", NpgsqlDbType.TimestampTz, docs.Select(d => d.ReceivedAt));
        Array(command, "received_by", NpgsqlDbType.Text, docs.Select(d => d.ReceivedBy));
        Array(command, "scope", NpgsqlDbType.Text, docs.Select(d => string.Join(',', d.Scope)));
        Array(command, "correlation_id", NpgsqlDbType.Text, docs.Select(d => d.CorrelationId));
        Array(command, "status", NpgsqlDbType.Text, docs.Select(d => d.Status));
        Array(command, "rule", NpgsqlDbType.Text, docs.Select(d => d.Rule));
        Array(command, "detail", NpgsqlDbType.Text, docs.Select(d => d.Detail));
        Array(command, "specialist_id", NpgsqlDbType.Uuid, docs.Select(d => d.SpecialistId));
        Array(command, "decided_at", NpgsqlDbType.TimestampTz, docs.Select(d => d.DecidedAt));
        Array(command, "attempts", NpgsqlDbType.Integer, docs.Select(d => d.Attempts));
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) inserted.Add(reader.GetString(0));
        // The insert ran on the session's transaction but outside Marten's unit of work, and a session with nothing
        // queued skips its commit: a batch whose every event was rejected at the door kept nothing. Queued work makes
        // SaveChanges commit the records it inserted, whatever else the batch holds.
        if (inserted.Count > 0) session.QueueSqlCommand("select 1");
        return inserted;
    }

    /// <summary>
    /// Saves what became of these records (status, rule, detail, specialist, decision time, attempts) in one statement
    /// queued in the session's unit of work, so it commits with the events it describes.
    /// </summary>
    public static void QueueOutcomes(IDocumentSession session, IReadOnlyCollection<IngestedEvent> docs)
    {
        if (docs.Count == 0) return;
        session.QueueSqlCommand(
            $"update {Qualified(session)} as d set status = t.status, rule = t.rule, detail = t.detail, " +
            "specialist_id = t.specialist_id, decided_at = t.decided_at, attempts = t.attempts " +
            "from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::uuid[], ?::timestamptz[], ?::int[]) " +
            "as t(id, status, rule, detail, specialist_id, decided_at, attempts) where d.id = t.id",
            docs.Select(d => d.Id).ToArray(), docs.Select(d => d.Status).ToArray(), docs.Select(d => d.Rule).ToArray(),
            docs.Select(d => d.Detail).ToArray(), docs.Select(d => d.SpecialistId).ToArray(),
            docs.Select(d => d.DecidedAt).ToArray(), docs.Select(d => d.Attempts).ToArray());
    }

    /// <summary>
    /// Erasure: every record about the person (applied to them, or naming them by id or by STATE:number, waiting and
    /// rejected ones included) keeps its source, id, type, status and rule, and loses its payload, subject and
    /// detail. The payload becomes an empty CloudEvents-shaped object so the rejections list still reads it. The id
    /// is matched however a sender spelled it (any case, braces, parentheses, without hyphens: what Guid.TryParse
    /// takes), both in the subject as sent and in its log key.
    /// </summary>
    public static void QueueErasure(IDocumentSession session, Guid specialistId, string subjectKey) =>
        session.QueueSqlCommand(
            $"update {Qualified(session)} set payload = '{{\"erased\": true}}', subject = null, subject_key = null, " +
            $"detail = case when detail is null then null else '{Careers.CertificationNumbers.Erased}' end " +
            "where specialist_id = ? or subject_key = ? or subject_key = ? " +
            "or replace(translate(lower(trim(subject)), '{}()', ''), '-', '') = ?",
            specialistId, subjectKey, new Subject(specialistId, null, null).Key, specialistId.ToString("N"));

    public static async Task<List<IngestedEvent>> LoadAsync(
        IQuerySession session, IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        ids.Count == 0 ? [] : await QueryAsync(session, "id = any(@p0)", ct, ids.ToArray());

    public static async Task<IngestedEvent?> ByKeyAsync(IQuerySession session, string key, CancellationToken ct) =>
        (await QueryAsync(session, "key = @p0", ct, key)).SingleOrDefault();

    public static async Task<IngestedEvent?> LoadAsync(IQuerySession session, Guid id, CancellationToken ct) =>
        (await QueryAsync(session, "id = @p0", ct, id)).SingleOrDefault();

    /// <summary>Rejected for want of a person, about one of these people (STATE:number), oldest first.</summary>
    public static Task<List<IngestedEvent>> WaitingForAsync(
        IQuerySession session, IReadOnlyCollection<string> subjectKeys, string rule, CancellationToken ct) =>
        QueryAsync(
            session, $"{IsRejected} and rule = @p1 and subject_key = any(@p0) order by received_at, id", ct,
            subjectKeys.ToArray(), rule);

    public static async Task<long> CountAsync(
        IQuerySession session, string? status = null, CancellationToken ct = default)
    {
        // "status <> 'applied'" spelled out: a parameter alone does not tell the planner it may use the partial index.
        await using var command = new NpgsqlCommand(
            $"select count(*) from {Qualified(session)}" + (status is null
                ? ""
                : " where status = @p0" + (status == IngestStatus.Applied ? "" : $" and {NotApplied}")),
            session.Connection);
        if (status is not null) command.Parameters.AddWithValue("p0", status);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Rejected records, newest first, optionally only those one sender sent, from a source, under a rule; or, with
    /// <paramref name="stuckSince"/>, the records still pending since before then (their apply message was lost to the
    /// dead letters, say).
    /// </summary>
    public static async Task<(List<IngestedEvent> Items, long Total)> RejectedAsync(
        IQuerySession session, string? receivedBy, string? source, string? rule, int page, int pageSize,
        CancellationToken ct, DateTimeOffset? stuckSince = null)
    {
        var where = (stuckSince is null ? $"{IsRejected} and {NotApplied}"
                        : $"status = '{IngestStatus.Pending}' and {NotApplied} and received_at < @p3")
                    + (receivedBy is null ? "" : " and received_by = @p0") +
                    (source is null ? "" : " and source = @p1") + (rule is null ? "" : " and rule = @p2");
        var args = new object?[] { receivedBy ?? "", source ?? "", rule ?? "", stuckSince ?? DateTimeOffset.MinValue };
        await using var count = new NpgsqlCommand(
            $"select count(*) from {Qualified(session)} where {where}", session.Connection);
        for (var i = 0; i < args.Length; i++) count.Parameters.AddWithValue($"p{i}", args[i]!);
        var total = (long)(await count.ExecuteScalarAsync(ct))!;
        var items = await QueryAsync(
            session,
            $"{where} order by received_at desc, id desc limit {pageSize} offset {(long)(page - 1) * pageSize}",
            ct, args);
        return (items, total);
    }

    /// <summary>
    /// Rejected events about people of some states (null: every state), newest first: those whose subject names the
    /// state (STATE:number), and those naming a person by id among <paramref name="idKeys"/> ("id:&lt;guid&gt;" of the
    /// people in those states). For staff's work list.
    /// </summary>
    public static async Task<(List<IngestedEvent> Items, long Total)> RejectedAboutAsync(
        IQuerySession session, IReadOnlyCollection<string>? states, IReadOnlyCollection<string> idKeys, int limit,
        CancellationToken ct)
    {
        var where = $"{IsRejected} and {NotApplied}" + (states is null ? ""
            : " and (split_part(subject_key, ':', 1) = any(@p0) or subject_key = any(@p1))");
        var args = new object?[] { states?.ToArray() ?? [], idKeys.ToArray() };
        await using var count = new NpgsqlCommand(
            $"select count(*) from {Qualified(session)} where {where}", session.Connection);
        for (var i = 0; i < args.Length; i++) count.Parameters.AddWithValue($"p{i}", args[i]!);
        var total = (long)(await count.ExecuteScalarAsync(ct))!;
        return (await QueryAsync(session, $"{where} order by received_at desc, id desc limit {limit}", ct, args),
            total);
    }

    internal static async Task<List<IngestedEvent>> QueryAsync(
        IQuerySession session, string where, CancellationToken ct, params object?[] args)
    {
        await using var command = new NpgsqlCommand(
            $"select {Columns} from {Qualified(session)} where {where}", session.Connection);
        for (var i = 0; i < args.Length; i++) command.Parameters.AddWithValue($"p{i}", args[i] ?? DBNull.Value);
        var found = new List<IngestedEvent>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) found.Add(Read(reader));
        return found;
    }

    private static IngestedEvent Read(DbDataReader r) => new()
    {
        Id = r.GetGuid(0), Key = r.GetString(1), Source = r.GetString(2), EventId = r.GetString(3),
        Type = r.GetString(4),
        Subject = Text(r, 5), SubjectKey = Text(r, 6), Payload = r.GetString(7), Channel = r.GetString(8),
        ReceivedAt = r.GetFieldValue<DateTimeOffset>(9), ReceivedBy = r.GetString(10),
        Scope = r.GetString(11) is { Length: > 0 } scope ? scope.Split(',').ToList() : [], CorrelationId = Text(r, 12),
        Status = r.GetString(13), Rule = Text(r, 14), Detail = Text(r, 15),
        SpecialistId = r.IsDBNull(16) ? null : r.GetGuid(16),
        DecidedAt = r.IsDBNull(17) ? null : r.GetFieldValue<DateTimeOffset>(17),
        Attempts = r.GetInt32(18),
    };

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static void Array<T>(NpgsqlCommand command, string name, NpgsqlDbType type, IEnumerable<T> values) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | type) { Value = values.ToArray() });
}

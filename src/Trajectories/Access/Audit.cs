using Microsoft.AspNetCore.Mvc;
using Marten;
using Npgsql;
using Wolverine.Http;
using Trajectories.Careers;

namespace Trajectories.Access;

/// <summary>One recorded event as the audit trail shows it: who, in which role, through which channel, when.</summary>
public sealed record ActivityEntry(
    long Sequence, Guid EventId, Guid SpecialistId, string Type, DateTimeOffset RecordedAt, string? RecordedBy,
    string? Role, string? Channel, string? CorrelationId);

public sealed record ActivityPage(IReadOnlyList<ActivityEntry> Items, long? Before);

/// <summary>
/// Who recorded what: Marten's event metadata (user name, correlation id) plus two headers we write on every append.
/// Admins list recent activity, newest first, for one key (or token subject) or for everyone, narrowed to one person
/// (<c>specialistId</c>) and to days recorded (<c>from</c>, <c>to</c>: UTC dates, both included).
/// </summary>
public static class Audit
{
    public const int MaxLimit = 500;

    [WolverineGet("/api/audit/activity", Summary = "Who read or changed what, newest first"), Tags("Access")]
    [ProducesResponseType<ActivityPage>(200)]
    public static async Task<IResult> Activity(
        string? keyId, string? subject, string? specialistId, string? from, string? to, int? limit, long? before,
        IDocumentStore store, CancellationToken ct)
    {
        var errors = new RequestErrors();
        if (specialistId is not null && !Guid.TryParse(specialistId, out _))
            errors.Add("specialistId", "invalid-value", "'specialistId' is a person's id (a GUID).");
        DateOnly? Day(string? text, string name)
        {
            if (text is null) return null;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.None, out var day)) return day;
            errors.Add(name, "invalid-date", $"'{name}' is a date as YYYY-MM-DD.");
            return null;
        }
        var fromDay = Day(from, "from");
        var toDay = Day(to, "to");
        if (fromDay > toDay) errors.Add("to", "before-from", "'to' is on or after 'from'.");
        if (keyId is not null && !Guid.TryParse(keyId, out _))
            errors.Add("keyId", "invalid-value", "'keyId' is a key id (a GUID) as listed by GET /api/keys.");
        if (subject is { Length: > 200 }) errors.Add("subject", "too-long", "'subject' is longer than 200 characters.");
        if (limit is < 1 or > MaxLimit)
            errors.Add("limit", "out-of-range", $"'limit' must be between 1 and {MaxLimit}.");
        if (errors.Any) return errors.AsRejection().ToProblem();

        string? recordedBy = keyId is not null ? $"key:{Guid.Parse(keyId)}"
            : subject is not null ? $"token:{subject}"
            : null;
        var schema = store.Options.Events.DatabaseSchemaName;
        // Newest first by the global sequence; "before" pages back through older entries.
        var sql = $"""
            select seq_id, id, stream_id, type, timestamp, user_name,
                headers ->> '{RecordedHeaders.Role}', headers ->> '{RecordedHeaders.Channel}', correlation_id
            from {schema}.mt_events
            where (@by::text is null or user_name = @by) and (@before::bigint is null or seq_id < @before)
              and (@person::uuid is null or stream_id = @person)
              and (@from::timestamptz is null or timestamp >= @from) and (@to::timestamptz is null or timestamp < @to)
            order by seq_id desc limit @limit
            """;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(
            new NpgsqlParameter("by", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)recordedBy ?? DBNull.Value });
        command.Parameters.Add(
            new NpgsqlParameter("before", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)before ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("person", NpgsqlTypes.NpgsqlDbType.Uuid)
        {
            Value = specialistId is null ? DBNull.Value : Guid.Parse(specialistId),
        });
        object Instant(DateOnly? day) => day is { } d
            ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : DBNull.Value;
        command.Parameters.Add(
            new NpgsqlParameter("from", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = Instant(fromDay) });
        command.Parameters.Add(
            new NpgsqlParameter("to", NpgsqlTypes.NpgsqlDbType.TimestampTz)
            {
                // The day after 'to', exclusive; the last date there is has no day after it, and bounds nothing.
                Value = Instant(toDay is { } t && t < DateOnly.MaxValue ? t.AddDays(1) : null),
            });
        command.Parameters.AddWithValue("limit", limit ?? 100);
        var items = new List<ActivityEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            items.Add(new ActivityEntry(reader.GetInt64(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), Text(reader, 5), Text(reader, 6), Text(reader, 7),
                Text(reader, 8)));
        return Results.Ok(new ActivityPage(items, items.Count == (limit ?? 100) ? items[^1].Sequence : null));
    }

    private static string? Text(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}

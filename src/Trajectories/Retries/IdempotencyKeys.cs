using Marten;
using Npgsql;
using Weasel.Postgresql.Tables;

namespace Trajectories.Retries;

/// <summary>
/// The Idempotency-Key table: per caller and key, the request's fingerprint and, once it finished, its answer. Each
/// statement runs on its own connection and commits at once, so a claim is visible to a retry on any node while the
/// first request is still running; the request's own transaction only marks the key committed
/// (<see cref="IdempotencyListener"/>).
/// </summary>
public sealed class IdempotencyKeys(IDocumentStore store, TimeProvider clock)
{
    public const string TableName = "idempotency_keys";

    public static Table Table(string schema)
    {
        var table = new Table($"{schema}.{TableName}");
        table.AddColumn("owner", "text").AsPrimaryKey();
        table.AddColumn("key", "text").AsPrimaryKey();
        table.AddColumn("fingerprint", "text").NotNull();
        table.AddColumn("started_at", "timestamptz").NotNull();
        table.AddColumn("expires_at", "timestamptz").NotNull();
        table.AddColumn("committed_at", "timestamptz");
        table.AddColumn("status", "integer");
        table.AddColumn("content_type", "text");
        table.AddColumn("location", "text");
        table.AddColumn("body", "bytea");
        table.Indexes.Add(new IndexDefinition($"ix_{TableName}_expires") { Columns = ["expires_at"] });
        return table;
    }

    private string Qualified => $"{store.Options.DatabaseSchemaName}.{TableName}";

    /// <summary>
    /// The statement the request's own transaction runs: the key's writes are committed with the writes.
    /// </summary>
    public static string MarkCommittedSql(string schema) =>
        $"update {schema}.{TableName} set committed_at = now() where owner = ? and key = ?";

    /// <summary>
    /// Claims the key for this request, or answers what holds it. An expired key, or one whose request died before
    /// it committed anything (no answer, not committed, older than the lease), is claimed afresh.
    /// </summary>
    public async Task<IdempotencyKey> ClaimAsync(string owner, string key, string fingerprint, TimeSpan keepFor,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var connection = await OpenAsync(ct);
        await using (var claim = new NpgsqlCommand($"""
            insert into {Qualified} as k (owner, key, fingerprint, started_at, expires_at)
            values (@owner, @key, @fingerprint, @now, @expires)
            on conflict (owner, key) do update set fingerprint = excluded.fingerprint,
                started_at = excluded.started_at, expires_at = excluded.expires_at, committed_at = null,
                status = null, content_type = null, location = null, body = null
            where k.expires_at < @now or (k.status is null and k.committed_at is null and k.started_at < @abandoned)
            returning owner
            """, connection))
        {
            claim.Parameters.AddWithValue("owner", owner);
            claim.Parameters.AddWithValue("key", key);
            claim.Parameters.AddWithValue("fingerprint", fingerprint);
            claim.Parameters.AddWithValue("now", now);
            claim.Parameters.AddWithValue("expires", now + keepFor);
            claim.Parameters.AddWithValue("abandoned", now - IdempotencySettings.Lease);
            if (await claim.ExecuteScalarAsync(ct) is not null)
                return new IdempotencyKey(owner, key, true, fingerprint, now, null, null, null, null, null);
        }

        await using var read = new NpgsqlCommand(
            $"select fingerprint, started_at, committed_at, status, content_type, location, body from {Qualified} "
            + "where owner = @owner and key = @key", connection);
        read.Parameters.AddWithValue("owner", owner);
        read.Parameters.AddWithValue("key", key);
        await using var row = await read.ExecuteReaderAsync(ct);
        if (!await row.ReadAsync(ct))
            // Released between the two statements: the earlier request failed; this one may try again.
            return await ClaimAgainAsync();
        return new IdempotencyKey(owner, key, false, row.GetString(0), row.GetFieldValue<DateTimeOffset>(1),
            row.IsDBNull(2) ? null : row.GetFieldValue<DateTimeOffset>(2), row.IsDBNull(3) ? null : row.GetInt32(3),
            row.IsDBNull(4) ? null : row.GetString(4), row.IsDBNull(5) ? null : row.GetString(5),
            row.IsDBNull(6) ? null : row.GetFieldValue<byte[]>(6));

        async Task<IdempotencyKey> ClaimAgainAsync()
        {
            await row.DisposeAsync();
            return await ClaimAsync(owner, key, fingerprint, keepFor, ct);
        }
    }

    /// <summary>Keeps the answer for retries.</summary>
    public async Task AnswerAsync(IdempotencyKey claim, int status, string? contentType, string? location, byte[] body,
        CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"update {Qualified} set status = @status, content_type = @type, location = @location, body = @body "
            + "where owner = @owner and key = @key", connection);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("type", (object?)contentType ?? DBNull.Value);
        command.Parameters.AddWithValue("location", (object?)location ?? DBNull.Value);
        command.Parameters.AddWithValue("body", body);
        command.Parameters.AddWithValue("owner", claim.Owner);
        command.Parameters.AddWithValue("key", claim.Key);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Frees a key whose request failed before committing anything, so a retry runs it again.</summary>
    public async Task ReleaseAsync(IdempotencyKey claim)
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(
            $"delete from {Qualified} where owner = @owner and key = @key and committed_at is null and status is null",
            connection);
        command.Parameters.AddWithValue("owner", claim.Owner);
        command.Parameters.AddWithValue("key", claim.Key);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>Forgets keys past their time; returns how many.</summary>
    public async Task<int> ForgetExpiredAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"delete from {Qualified} where expires_at < @now", connection);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        return await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return connection;
    }
}

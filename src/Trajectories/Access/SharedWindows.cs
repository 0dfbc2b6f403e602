using Marten;
using Npgsql;

namespace Trajectories.Access;

/// <summary>
/// Counters that every node shares, for limits that must hold for the whole deployment rather than per node
/// (issue 18: three nodes accepted three times a key's rate). A counter is a (limit, owner, window) row in an
/// UNLOGGED table, incremented by one upsert: no WAL and no flush, so it costs one round trip, and a crash loses only
/// counts nobody needs after their window. Windows are fixed (a second, a minute), so within a window the deployment
/// allows the limit, and across a window boundary at most twice it, as the per-node token bucket's burst did.
/// </summary>
public sealed class SharedWindows(IDocumentStore store, ILogger<SharedWindows> logger)
{
    public const string TableName = "shared_windows";
    private volatile bool _created;

    private string Qualified => $"{store.Options.DatabaseSchemaName}.{TableName}";

    /// <summary>
    /// Adds <paramref name="add"/> (0 asks without counting) to the owner's count in the current window, on the
    /// database's clock (nodes whose clocks disagree still share windows); returns the count after it, or null when
    /// the database did not answer in time (the caller then relies on its own node's limit: a limit must not take
    /// the service down with the database).
    /// </summary>
    public async Task<long?> CountAsync(string limit, string owner, TimeSpan window, int add, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
            await connection.OpenAsync(timeout.Token);
            if (!_created) await CreateAsync(connection, timeout.Token);
            await using var command = new NpgsqlCommand(
                $"insert into {Qualified} as w (limit_name, owner, window_start, count) values (@limit, @owner, " +
                "floor(extract(epoch from clock_timestamp()) * 1000 / @length)::bigint, @add) " +
                "on conflict (limit_name, owner, window_start) do update set count = w.count + @add " +
                "returning count", connection);
            command.Parameters.AddWithValue("limit", limit);
            command.Parameters.AddWithValue("owner", owner);
            command.Parameters.AddWithValue("length", window.TotalMilliseconds);
            command.Parameters.AddWithValue("add", (long)add);
            return (long)(await command.ExecuteScalarAsync(timeout.Token))!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // Dropped under us (an operator's clean-up): made again on the next count.
            _created = false;
            logger.LogWarning("The shared limits' table was missing; it is made again");
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException
                                      && !ct.IsCancellationRequested)
        {
            logger.LogWarning("A shared limit could not be counted ({Type}); this node's own limit applies",
                e.GetType().Name);
            return null;
        }
    }

    /// <summary>Windows that ended over two minutes ago.</summary>
    public async Task ForgetOldAsync(CancellationToken ct)
    {
        if (!_created) return;
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        // window_start counts windows of the limit's own length (seconds for "/s", minutes for "/min"), on the
        // database's clock like the counts.
        await using var command = new NpgsqlCommand(
            $"delete from {Qualified} where (limit_name like '%/s' and window_start < " +
            "floor(extract(epoch from clock_timestamp()))::bigint - 120) or (limit_name like '%/min' and " +
            "window_start < floor(extract(epoch from clock_timestamp()) / 60)::bigint - 2)", connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// UNLOGGED is not something Weasel's tables say, so the table is made here, once per node; two nodes creating it
    /// at once is harmless.
    /// </summary>
    private async Task CreateAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        try
        {
            await using var command = new NpgsqlCommand(
                $"create unlogged table if not exists {Qualified} (limit_name text not null, owner text not null, " +
                "window_start bigint not null, count bigint not null, primary key (limit_name, owner, window_start))",
                connection);
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation
                                              or PostgresErrorCodes.DuplicateTable) { }
        _created = true;
    }
}

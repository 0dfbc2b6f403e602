using Marten;
using Npgsql;
using Weasel.Postgresql.Tables;
using Wolverine.Runtime;

namespace Trajectories.Hosting.Nodes;

/// <summary>A node as the others see it: when it last said it was alive, and whether it was fenced since.</summary>
public sealed record ServiceNode(string Id, string Name, DateTimeOffset StartedAt, DateTimeOffset BeatAt,
    DateTimeOffset? FencedAt, double SilentSeconds);

/// <summary>
/// The nodes' heartbeat table and the statements on it. Times are the database's (<c>now()</c>), so nodes whose
/// clocks disagree still agree on who is silent.
/// </summary>
public sealed class ServiceNodes(
    IDocumentStore store, NodeIdentity self, IWolverineRuntime wolverine)
{
    public const string TableName = "service_nodes";

    public static Table Table(string schema)
    {
        var table = new Table($"{schema}.{TableName}");
        table.AddColumn("id", "text").AsPrimaryKey();
        table.AddColumn("name", "text").NotNull();
        table.AddColumn("started_at", "timestamptz").NotNull();
        table.AddColumn("beat_at", "timestamptz").NotNull();
        table.AddColumn("fenced_at", "timestamptz");
        // Wolverine's own id for the node: its leadership lock's session is tagged by Wolverine, not by us.
        table.AddColumn("wolverine_node", "uuid");
        return table;
    }

    private string Schema => store.Options.DatabaseSchemaName;
    private string Qualified => $"{Schema}.{TableName}";

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>
    /// This node is alive. Returns when it had been fenced by another node since its previous beat (it was silent
    /// too long: frozen, paused by a debugger, cut off), or null.
    /// </summary>
    public async Task<(DateTimeOffset FencedAt, double SilentSeconds)?> BeatAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        // The old row's values come from the CTE: an update's RETURNING sees only the new ones.
        await using var command = new NpgsqlCommand(
            $"with old as (select fenced_at, beat_at from {Qualified} where id = @id) " +
            $"insert into {Qualified} as n (id, name, started_at, beat_at, wolverine_node) " +
            "values (@id, @name, now(), now(), @wolverine) " +
            "on conflict (id) do update set beat_at = now(), fenced_at = null " +
            "returning (select fenced_at from old), " +
            "(select extract(epoch from now() - beat_at)::float8 from old)", connection);
        command.Parameters.AddWithValue("id", self.Id);
        command.Parameters.AddWithValue("name", self.Name);
        command.Parameters.AddWithValue("wolverine", wolverine.Options.UniqueNodeId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return reader.IsDBNull(0) ? null : (reader.GetFieldValue<DateTimeOffset>(0), reader.GetDouble(1));
    }

    /// <summary>
    /// Ends every database session of each other node silent for longer than <paramref name="after"/>: its advisory
    /// locks (the async daemon's, Wolverine's leadership) are released, its open transactions roll back (a frozen
    /// append no longer holds the event sequence's high-water mark back), and whatever it does when it wakes starts
    /// on a new connection, as a node that no longer leads. Returns the nodes fenced now and how many sessions each
    /// lost. Ending another role's sessions needs that role or pg_signal_backend; every node uses the same role.
    /// </summary>
    public async Task<IReadOnlyList<(ServiceNode Node, int Sessions)>> FenceSilentAsync(
        TimeSpan after, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var fenced = new List<(ServiceNode, int)>();
        foreach (var node in await ListAsync(connection, ct))
        {
            if (node.Id == self.Id || node.SilentSeconds <= after.TotalSeconds) continue;
            await using var command = new NpgsqlCommand(
                "select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity " +
                "where application_name = @app and pid <> pg_backend_pid() and datname = current_database()",
                connection);
            command.Parameters.AddWithValue("app", NodeIdentity.ApplicationNamePrefix + node.Id);
            var sessions = Convert.ToInt32(await command.ExecuteScalarAsync(ct));
            // Wolverine retags its leadership lock's session ("wolverine-advisory-lock:..."), so that one is found
            // by the lock it holds while the silent node is Wolverine's leader: otherwise a frozen leader keeps
            // every dead node's inbox from being recovered (the second hostile review's finding).
            await using var leader = new NpgsqlCommand(
                "select count(*) filter (where pg_terminate_backend(a.pid)) from pg_stat_activity a " +
                "where a.datname = current_database() and a.application_name like 'wolverine-advisory-lock:%' " +
                "and exists (select 1 from pg_locks l where l.pid = a.pid and l.locktype = 'advisory' and " +
                $"l.granted) and exists (select 1 from {Schema}.wolverine_node_assignments w where w.id in " +
                "('wolverine://leader/', 'wolverine://leader') and w.node_id = (select wolverine_node from " +
                $"{Qualified} where id = @id))", connection);
            leader.Parameters.AddWithValue("id", node.Id);
            try
            {
                sessions += Convert.ToInt32(await leader.ExecuteScalarAsync(ct));
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                // No Wolverine node tables (durability off): there is no leader to fence.
            }
            if (sessions == 0) continue;
            await using var mark = new NpgsqlCommand(
                $"update {Qualified} set fenced_at = now() where id = @id and beat_at = @beat", connection);
            mark.Parameters.AddWithValue("id", node.Id);
            mark.Parameters.AddWithValue("beat", node.BeatAt);
            await mark.ExecuteNonQueryAsync(ct);
            fenced.Add((node, sessions));
        }
        return fenced;
    }

    /// <summary>Drops this node's pooled sessions, which another node may have ended while it was silent.</summary>
    public void ClearPool() => ((Marten.Storage.MartenDatabase)store.Storage.Database).DataSource.Clear();

    /// <summary>Forgets nodes silent for a day: they are gone (a restarted process is a new node).</summary>
    public async Task<int> ForgetGoneAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"delete from {Qualified} where beat_at < now() - interval '1 day'", connection);
        return await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<ServiceNode>> ListAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "select id, name, started_at, beat_at, fenced_at, extract(epoch from now() - beat_at)::float8 " +
            $"from {Qualified} order by started_at", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var nodes = new List<ServiceNode>();
        while (await reader.ReadAsync(ct))
            nodes.Add(new ServiceNode(reader.GetString(0), reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.GetDouble(5)));
        return nodes;
    }
}

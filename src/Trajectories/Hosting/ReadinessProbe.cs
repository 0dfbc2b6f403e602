using JasperFx.Events.Daemon;
using Marten;
using Npgsql;
using Trajectories.Hosting.Nodes;
using Trajectories.Hosting.Telemetry;
using Trajectories.Ingestion;

namespace Trajectories.Hosting;

/// <summary>
/// Looks at the database as readiness and the metrics report it: projection lag, ingested events waiting, dead
/// letters, who runs the daemon, which nodes beat. One answer, two readers (<see cref="Health"/>,
/// <see cref="TelemetrySampler"/>).
/// </summary>
public sealed class ReadinessProbe(
    IDocumentStore store, IConfiguration configuration, TimeProvider clock, NodeIdentity self, ServiceNodes nodes)
{
    /// <summary>What readiness answers, and the same figures as numbers for the metrics (null: no database).</summary>
    public async Task<(Readiness Readiness, ObservedState? State)> CheckAsync(CancellationToken ct)
    {
        var maxLag = configuration.GetValue("Health:MaxProjectionLagSeconds", 30);
        var stuckAfter = configuration.GetValue("Health:StuckIngestMinutes", 10);
        var schema = store.Options.Events.DatabaseSchemaName;
        var now = clock.GetUtcNow();
        var checks = new List<ReadyCheck>();
        string? daemonNode = null;
        IReadOnlyList<NodeBeat> beats = [];
        ObservedState? state = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
            await connection.OpenAsync(timeout.Token);
            checks.Add(new ReadyCheck("database", true, "answers"));
            var shards = ((StoreOptions)store.Options).Projections.AllShards().Select(s => s.Name.Identity).ToArray();
            var (projectionChecks, lags) =
                await ProjectionsAsync(connection, schema, shards, maxLag, now, timeout.Token);
            checks.AddRange(projectionChecks);
            var pending = await CountAsync(connection, $"select count(*) from {schema}.{IngestLog.TableName} " +
                $"where status = '{IngestStatus.Pending}'", timeout.Token);
            var stuck = await CountAsync(connection,
                $"select count(*) from {schema}.{IngestLog.TableName} where status = '{IngestStatus.Pending}' " +
                $"and received_at < now() - make_interval(mins => {stuckAfter})", timeout.Token);
            checks.Add(new ReadyCheck("ingest", stuck == 0, stuck == 0
                ? $"no accepted event has waited over {stuckAfter} minutes"
                : $"{stuck} accepted events have waited over {stuckAfter} minutes to be applied " +
                  "(GET /api/ingest/rejections?stuck=true)"));
            var dead = await CountAsync(connection, $"select count(*) from {schema}.wolverine_dead_letters",
                timeout.Token);
            checks.Add(new ReadyCheck("dead-letters", true, $"{dead} messages in Wolverine's dead letters"));
            daemonNode = await DaemonNodeAsync(connection, store, timeout.Token);
            beats = (await nodes.ListAsync(connection, timeout.Token))
                .Where(n => n.SilentSeconds < 3600).Select(n => new NodeBeat(n.Id, n.SilentSeconds, n.FencedAt))
                .ToList();
            checks.Add(new ReadyCheck("daemon", true, daemonNode is null
                ? "no node holds the async daemon's lock"
                : $"node {daemonNode} runs the async projections"));
            state = new ObservedState(lags, pending, stuck, dead, beats.Count(b => b.SilentSeconds < 60),
                daemonNode == self.Id);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            if (ct.IsCancellationRequested) throw;
            checks.Add(new ReadyCheck("database", false, $"does not answer ({e.GetType().Name})"));
        }
        var ok = checks.All(c => c.Ok);
        return (new Readiness(ok ? "ready" : "not-ready", now, checks, self.Id, daemonNode, beats), state);
    }

    /// <summary>
    /// Each async projection's lag: events not yet processed, and how old the oldest of them is. Only the registered
    /// shards' rows count: Marten 9 keeps its own bookkeeping in the same table (HighWaterStuckGap,
    /// HighWaterAllocationFence), which sits below the newest event by design; read as projections they made a node
    /// that had lived through a stuck gap (a node killed mid-append) report 503 for good.
    /// </summary>
    private static async Task<(List<ReadyCheck> Checks, List<ShardLag> Lags)> ProjectionsAsync(
        NpgsqlConnection connection, string schema, string[] registered, int maxLag, DateTimeOffset now,
        CancellationToken ct)
    {
        var lags = new List<ShardLag>();
        var newest = await CountAsync(connection, $"select coalesce(max(seq_id), 0) from {schema}.mt_events", ct);
        var shards = new List<(string Name, long Sequence)>();
        await using (var command = new NpgsqlCommand(
                         $"select name, last_seq_id from {schema}.mt_event_progression where name = any(@shards)",
                         connection) { Parameters = { new("shards", registered) } })
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) shards.Add((reader.GetString(0), reader.GetInt64(1)));
        // A registered shard with no row yet has processed nothing: judged like any other, by how long its oldest
        // unprocessed event has waited (a node that has just started is not "behind" for its first seconds).
        foreach (var name in registered.Where(r => shards.All(s => s.Name != r))) shards.Add((name, 0));
        var result = new List<ReadyCheck>();
        foreach (var (name, sequence) in shards)
        {
            var behind = newest - sequence;
            if (behind <= 0)
            {
                result.Add(new ReadyCheck($"projection:{name}", true, "caught up"));
                lags.Add(new ShardLag(name, 0, 0));
                continue;
            }
            await using var oldest = new NpgsqlCommand(
                // Tombstones of rolled-back appends carry -infinity: not an age.
                $"select min(timestamp) from {schema}.mt_events where seq_id > @sequence and isfinite(timestamp)",
                connection);
            oldest.Parameters.AddWithValue("sequence", sequence);
            var since = await oldest.ExecuteScalarAsync(ct) is DateTime t
                ? now - new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc))
                : TimeSpan.Zero;
            var late = since.TotalSeconds > maxLag;
            lags.Add(new ShardLag(name, behind, Math.Max(0, since.TotalSeconds)));
            result.Add(new ReadyCheck($"projection:{name}", !late,
                $"{behind} events behind, the oldest {Math.Max(0, since.TotalSeconds):0} s old" +
                (late ? $" (more than {maxLag} s: is the daemon running on some node?)" : "")));
        }
        return (result, lags);
    }

    /// <summary>
    /// The node whose session holds one of the async daemon's advisory locks (HotCold: one lock per shard, computed as
    /// JasperFx computes it), read from pg_locks: the truth whichever node asks.
    /// </summary>
    private static async Task<string?> DaemonNodeAsync(
        NpgsqlConnection connection, IDocumentStore store, CancellationToken ct)
    {
        var options = (StoreOptions)store.Options;
        var baseId = options.Projections.DaemonLockId;
        var ids = options.Projections.AllShards()
            .Select(s => (long)ProjectionLockIds.Compute(options.Events.DatabaseSchemaName, s.Name, baseId))
            .Append(baseId).Where(id => id >= 0).Distinct().ToArray();
        await using var command = new NpgsqlCommand(
            "select a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid " +
            "where l.locktype = 'advisory' and l.granted and l.classid = 0 and l.objid::bigint = any(@ids) " +
            "and l.database = (select oid from pg_database where datname = current_database()) " +
            "order by a.backend_start limit 1", connection);
        command.Parameters.AddWithValue("ids", ids);
        var holder = await command.ExecuteScalarAsync(ct) as string;
        return holder is not null && holder.StartsWith(NodeIdentity.ApplicationNamePrefix)
            ? holder[NodeIdentity.ApplicationNamePrefix.Length..]
            : null;
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
    }
}

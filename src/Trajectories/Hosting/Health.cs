using Marten;
using Npgsql;
using JasperFx.Events.Daemon;
using Trajectories.Hosting.Nodes;
using Trajectories.Ingestion;

namespace Trajectories.Hosting;

/// <summary>One thing readiness looked at: whether it is fine, what was seen, in an operator's words.</summary>
public sealed record ReadyCheck(string Name, bool Ok, string Detail);

/// <summary>
/// <paramref name="Node"/>: the node that answered. <paramref name="DaemonNode"/>: the node holding the async daemon's
/// lock, as the database sees it (null: none). <paramref name="Nodes"/>: every node with a recent heartbeat.
/// </summary>
public sealed record Readiness(string Status, DateTimeOffset CheckedAt, IReadOnlyList<ReadyCheck> Checks,
    string Node, string? DaemonNode, IReadOnlyList<NodeBeat> Nodes);

/// <summary>A node's id, seconds since its last heartbeat, and when it was fenced (ADR 15), if it was.</summary>
public sealed record NodeBeat(string Id, double SilentSeconds, DateTimeOffset? FencedAt);

/// <summary>
/// Health for load balancers and operators. <c>/health/live</c> (and <c>/health</c>, its alias): the process answers.
/// <c>/health/ready</c>: the database answers; the async projections are no further behind the newest event than
/// <c>Health:MaxProjectionLagSeconds</c> (30; measured on the oldest event a projection has not processed, so it
/// counts for every node, whichever runs the daemon); no accepted event has waited to be applied longer than
/// <c>Health:StuckIngestMinutes</c> (10). Dead letters are reported, not judged: they need a person, not a restart.
/// A 503 names what is wrong. Nothing about a person is in either answer, so both need no credential.
/// </summary>
public static class Health
{
    public static void MapHealth(this WebApplication app)
    {
        app.MapGet("/health", Live).WithTags("Operations").WithSummary("Alias of /health/live");
        app.MapGet("/health/live", Live).WithTags("Operations").WithSummary("The process answers");
        app.MapGet("/health/ready", ReadyAsync).WithTags("Operations")
            .WithSummary("The database answers, projections caught up, no ingested event stuck")
            .Produces<Readiness>(200).Produces<Readiness>(503);
    }

    private static IResult Live() => Results.Ok(new { status = "ok" });

    private static async Task<IResult> ReadyAsync(
        IDocumentStore store, IConfiguration configuration, TimeProvider clock, NodeIdentity self, ServiceNodes nodes,
        CancellationToken ct)
    {
        var maxLag = configuration.GetValue("Health:MaxProjectionLagSeconds", 30);
        var stuckAfter = configuration.GetValue("Health:StuckIngestMinutes", 10);
        var schema = store.Options.Events.DatabaseSchemaName;
        var now = clock.GetUtcNow();
        var checks = new List<ReadyCheck>();
        string? daemonNode = null;
        IReadOnlyList<NodeBeat> beats = [];
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
            await connection.OpenAsync(timeout.Token);
            checks.Add(new ReadyCheck("database", true, "answers"));
            checks.AddRange(await ProjectionsAsync(connection, schema, maxLag, now, timeout.Token));
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
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            if (ct.IsCancellationRequested) throw;
            checks.Add(new ReadyCheck("database", false, $"does not answer ({e.GetType().Name})"));
        }
        var ok = checks.All(c => c.Ok);
        return Results.Json(new Readiness(ok ? "ready" : "not-ready", now, checks, self.Id, daemonNode, beats),
            statusCode: ok ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>Each async projection's lag: events not yet processed, and how old the oldest of them is.</summary>
    private static async Task<List<ReadyCheck>> ProjectionsAsync(
        NpgsqlConnection connection, string schema, int maxLag, DateTimeOffset now, CancellationToken ct)
    {
        var newest = await CountAsync(connection, $"select coalesce(max(seq_id), 0) from {schema}.mt_events", ct);
        var shards = new List<(string Name, long Sequence)>();
        await using (var command = new NpgsqlCommand(
                         $"select name, last_seq_id from {schema}.mt_event_progression where name <> 'HighWaterMark'",
                         connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) shards.Add((reader.GetString(0), reader.GetInt64(1)));
        if (shards.Count == 0 && newest > 0)
            return [new ReadyCheck("projections", false, $"no projection has started; {newest} events wait")];
        var result = new List<ReadyCheck>();
        foreach (var (name, sequence) in shards)
        {
            var behind = newest - sequence;
            if (behind <= 0)
            {
                result.Add(new ReadyCheck($"projection:{name}", true, "caught up"));
                continue;
            }
            await using var oldest = new NpgsqlCommand(
                $"select min(timestamp) from {schema}.mt_events where seq_id > @sequence", connection);
            oldest.Parameters.AddWithValue("sequence", sequence);
            var since = await oldest.ExecuteScalarAsync(ct) is DateTime t
                ? now - new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc))
                : TimeSpan.Zero;
            var late = since.TotalSeconds > maxLag;
            result.Add(new ReadyCheck($"projection:{name}", !late,
                $"{behind} events behind, the oldest {Math.Max(0, since.TotalSeconds):0} s old" +
                (late ? $" (more than {maxLag} s: is the daemon running on some node?)" : "")));
        }
        return result;
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
        return await command.ExecuteScalarAsync(ct) is string name && name.StartsWith(NodeIdentity.ApplicationNamePrefix)
            ? name[NodeIdentity.ApplicationNamePrefix.Length..]
            : null;
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
    }
}

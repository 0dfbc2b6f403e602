using System.Diagnostics.Metrics;

namespace Trajectories.Hosting.Telemetry;

/// <summary>
/// The service's own gauges (meter "Trajectories"; the ingestion counters are Ingestion.IngestMetrics), beside ASP.NET
/// Core's, Wolverine's, Marten's and the runtime's. Tags are fixed vocabularies (shard names), never a person.
/// The gauges read the last sample of <see cref="TelemetrySampler"/>, taken from the database as readiness takes it.
/// </summary>
public static class TrajectoriesMetrics
{
    public const string MeterName = "Trajectories";
    private static readonly Meter Meter = new(MeterName);

    /// <summary>The last sample (null until the first).</summary>
    public static volatile ObservedState? Latest;

    static TrajectoriesMetrics()
    {
        Gauge<long>("trajectories.projection.lag.events", () => Latest is null ? []
            : Latest.Shards.Select(s => new Measurement<long>(s.EventsBehind, Shard(s.Name))), "{event}",
            "Events the async projection has not processed yet");
        Gauge<double>("trajectories.projection.lag.seconds", () => Latest is null ? []
            : Latest.Shards.Select(s => new Measurement<double>(s.OldestSeconds, Shard(s.Name))), "s",
            "Age of the oldest event the async projection has not processed");
        Gauge<long>("trajectories.ingest.pending", () => Latest is null ? []
            : [new Measurement<long>(Latest.Pending)], "{event}", "Accepted events not decided yet");
        Gauge<long>("trajectories.ingest.stuck", () => Latest is null ? []
            : [new Measurement<long>(Latest.Stuck)], "{event}",
            "Accepted events waiting longer than Health:StuckIngestMinutes");
        Gauge<long>("trajectories.dead_letters", () => Latest is null ? []
            : [new Measurement<long>(Latest.DeadLetters)], "{message}", "Messages in Wolverine's dead letters");
        Gauge<long>("trajectories.nodes", () => Latest is null ? []
            : [new Measurement<long>(Latest.Nodes)], "{node}", "Nodes with a heartbeat in the last minute");
        Gauge<int>("trajectories.node.runs_daemon", () => Latest is null ? []
            : [new Measurement<int>(Latest.RunsDaemon ? 1 : 0)], "1",
            "1 when this node holds the async daemon's lock");
    }

    private static void Gauge<T>(string name, Func<IEnumerable<Measurement<T>>> read, string unit, string description)
        where T : struct => Meter.CreateObservableGauge(name, read, unit, description);

    private static KeyValuePair<string, object?> Shard(string name) => new("shard", name);
}

public sealed record ShardLag(string Name, long EventsBehind, double OldestSeconds);

public sealed record ObservedState(
    IReadOnlyList<ShardLag> Shards, long Pending, long Stuck, long DeadLetters, int Nodes, bool RunsDaemon);

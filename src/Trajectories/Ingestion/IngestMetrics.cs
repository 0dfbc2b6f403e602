using System.Diagnostics.Metrics;

namespace Trajectories.Ingestion;

/// <summary>
/// What the intake answered and what the apply step decided (meter "Trajectories.Ingestion", exported with the rest
/// when metrics are on: README). Tags are fixed vocabularies, never a person, a key or a free text.
/// </summary>
public static class IngestMetrics
{
    public const string MeterName = "Trajectories.Ingestion";
    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Answered = Meter.CreateCounter<long>("trajectories.ingest.answered",
        "{event}", "Events sent to the intake, by what it answered (accepted, duplicate, rejected) and channel");
    private static readonly Counter<long> Decided = Meter.CreateCounter<long>("trajectories.ingest.decided",
        "{event}", "Accepted events decided by the apply step (applied, rejected, waiting); a batch redone after a " +
                   "lost race counts again");

    public static void CountAnswered(string status, string channel) =>
        Answered.Add(1, new KeyValuePair<string, object?>("status", status),
            new KeyValuePair<string, object?>("channel", channel));

    public static void CountDecided(string outcome) =>
        Decided.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}

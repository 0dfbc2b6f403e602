using Trajectories.Careers;

namespace Trajectories.Ingestion;

/// <summary>Ingest:RabbitMq:* — the listener is on when Uri is set.</summary>
public sealed class RabbitMqIngestSettings
{
    public const string Section = "Ingest:RabbitMq";

    /// <summary>amqp://user:password@host:port/vhost. Empty: no listener.</summary>
    public string? Uri { get; set; }
    public string Queue { get; set; } = "trajectories.ingest";
    /// <summary>
    /// Where a message that is not CloudEvents goes (with the reason in its headers). Default: the queue's name +
    /// ".dead-letter".
    /// </summary>
    public string? DeadLetterQueue { get; set; }
    /// <summary>The states the publishers on this queue may write (empty: all), as a key's scope.</summary>
    public string[] States { get; set; } = [];
    /// <summary>
    /// Messages handled at once; duplicates across them are still recorded once (the key reservation).
    /// </summary>
    public int Parallelism { get; set; } = 4;

    public bool Enabled => !string.IsNullOrWhiteSpace(Uri);
    public string DeadLetterQueueName =>
        string.IsNullOrWhiteSpace(DeadLetterQueue) ? Queue + ".dead-letter" : DeadLetterQueue;

    /// <summary>
    /// Who the listener's events are recorded by: "rabbitmq:&lt;queue&gt;", role integration, the configured states.
    /// </summary>
    public Caller Caller => new(Queue, Roles.Integration,
        States.Length == 0 ? null : States.Select(s => s.ToUpperInvariant()).ToHashSet(), "rabbitmq");
}

using Marten;
using RabbitMQ.Client;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.ErrorHandling;
using Wolverine.RabbitMQ;
using Wolverine.RabbitMQ.Internal;
using Wolverine.Runtime.Serialization;
using Trajectories.Careers;

namespace Trajectories.Ingestion;

/// <summary>Ingest:RabbitMq:* — the listener is on when Uri is set.</summary>
public sealed class RabbitMqIngestSettings
{
    public const string Section = "Ingest:RabbitMq";

    /// <summary>amqp://user:password@host:port/vhost. Empty: no listener.</summary>
    public string? Uri { get; set; }
    public string Queue { get; set; } = "trajectories.ingest";
    /// <summary>Where a message that is not CloudEvents goes (with the reason in its headers). Default: the queue's name + ".dead-letter".</summary>
    public string? DeadLetterQueue { get; set; }
    /// <summary>The states the publishers on this queue may write (empty: all), as a key's scope.</summary>
    public string[] States { get; set; } = [];
    /// <summary>Messages handled at once; duplicates across them are still recorded once (the key reservation).</summary>
    public int Parallelism { get; set; } = 4;

    public bool Enabled => !string.IsNullOrWhiteSpace(Uri);
    public string DeadLetterQueueName => string.IsNullOrWhiteSpace(DeadLetterQueue) ? Queue + ".dead-letter" : DeadLetterQueue;

    /// <summary>Who the listener's events are recorded by: "rabbitmq:&lt;queue&gt;", role integration, the configured states.</summary>
    public Caller Caller => new(Queue, Roles.Integration, States.Length == 0 ? null : States.Select(s => s.ToUpperInvariant()).ToHashSet(), "rabbitmq");
}

/// <summary>A RabbitMQ message body exactly as published: one CloudEvent or a batch, judged like an HTTP body.</summary>
[MessageIdentity(TypeName)]
public sealed record IncomingCloudEvents(byte[] Body)
{
    public const string TypeName = "trajectories.incoming-cloudevents";
}

/// <summary>Thrown for a message that is not CloudEvents at all; the listener moves it to the dead-letter queue.</summary>
public sealed class UnreadableMessageException(string rule, string detail) : Exception($"{rule}: {detail}")
{
    public string Rule { get; } = rule;
}

public static class RabbitMqIngestHandler
{
    /// <summary>
    /// The same intake as the HTTP endpoint (channel "rabbitmq"). The message is acknowledged to RabbitMQ only after
    /// this transaction commits (inline listener), so a crash before then brings it back and the (source, id) keys
    /// make the second delivery a duplicate: nothing lost, nothing twice. Rejected events are kept as rejections.
    /// </summary>
    public static async Task Handle(IncomingCloudEvents message, Envelope envelope, IDocumentSession session, IMessageBus bus, ApplyQueues queues,
        RabbitMqIngestSettings settings, TimeProvider clock, ILogger<IncomingCloudEvents> logger, CancellationToken ct)
    {
        var (events, refusal) = CloudEvents.Read(message.Body);
        if (refusal is not null)
        {
            logger.LogWarning("RabbitMQ message {MessageId} on {Queue} is not CloudEvents ({Rule}); moved to {DeadLetterQueue}",
                envelope.Id, settings.Queue, refusal.Rule, settings.DeadLetterQueueName);
            throw new UnreadableMessageException(refusal.Rule, refusal.Detail);
        }
        var results = await Intake.AcceptAsync(session, bus, queues, events!, settings.Caller, "rabbitmq", envelope.CorrelationId ?? envelope.Id.ToString(), clock.GetUtcNow(), ct);
        var rejected = results.Count(r => r.Status == IngestStatus.Rejected);
        if (rejected > 0)
            logger.LogInformation("RabbitMQ message {MessageId}: {Rejected} of {Count} events rejected (GET /api/ingest/rejections)", envelope.Id, rejected, results.Count);
    }
}

/// <summary>
/// Publishers are not Wolverine applications: whatever their headers, a message on the ingest queue is an
/// <see cref="IncomingCloudEvents"/> holding the body's bytes, which the handler reads itself (so a body that is not
/// JSON reaches the handler and gets a reason, instead of failing inside a serializer).
/// </summary>
internal sealed class CloudEventsEnvelopeMapper : IRabbitMqEnvelopeMapper
{
    public void MapIncomingToEnvelope(Envelope envelope, IReadOnlyBasicProperties incoming)
    {
        envelope.Id = Guid.TryParse(incoming.MessageId, out var id) ? id : Guid.CreateVersion7();
        envelope.CorrelationId = incoming.CorrelationId is { Length: > 0 and <= 100 } c ? c : null;
        envelope.MessageType = IncomingCloudEvents.TypeName;
        envelope.ContentType = RawBodySerializer.Type;
        envelope.Serializer = RawBodySerializer.Instance;
    }

    public void MapEnvelopeToOutgoing(Envelope envelope, IBasicProperties outgoing)
    {
        // Only used to move a message to the dead-letter queue: keep what the publisher sent.
        outgoing.MessageId = envelope.Id.ToString();
        outgoing.CorrelationId = envelope.CorrelationId;
        outgoing.ContentType = "application/cloudevents+json";
        outgoing.Persistent = true;
    }
}

internal sealed class RawBodySerializer : IMessageSerializer
{
    public const string Type = "application/x-trajectories-raw";
    public static readonly RawBodySerializer Instance = new();
    public string ContentType => Type;
    public byte[] Write(Envelope envelope) => envelope.Message is IncomingCloudEvents m ? m.Body : envelope.Data ?? [];
    public object ReadFromData(Type messageType, Envelope envelope) => new IncomingCloudEvents(envelope.Data ?? []);
    public object ReadFromData(byte[] data) => new IncomingCloudEvents(data);
    public byte[] WriteMessage(object message) => message is IncomingCloudEvents m ? m.Body : [];
}

public static class RabbitMqIngestion
{
    public static void Configure(WolverineOptions opts, RabbitMqIngestSettings settings)
    {
        if (!settings.Enabled) return;
        opts.UseRabbitMq(new Uri(settings.Uri!)).AutoProvision();
        opts.ListenToRabbitQueue(settings.Queue)
            .UseInterop(new CloudEventsEnvelopeMapper())
            .DefaultSerializer(RawBodySerializer.Instance)
            // Acknowledged after the handler's transaction commits; the (source, id) keys absorb redeliveries.
            .ProcessInline()
            .ListenerCount(Math.Max(1, settings.Parallelism))
            .DeadLetterQueueing(new DeadLetterQueue(settings.DeadLetterQueueName));
        opts.Policies.OnException<UnreadableMessageException>().MoveToErrorQueue();
    }
}

using Marten;
using Trajectories.Careers;
using Wolverine;

namespace Trajectories.Ingestion;

public static class RabbitMqIngestHandler
{
    /// <summary>
    /// The same intake as the HTTP endpoint (channel "rabbitmq"). The message is acknowledged to RabbitMQ only after
    /// this transaction commits (inline listener), so a crash before then brings it back and the (source, id) keys
    /// make the second delivery a duplicate: nothing lost, nothing twice. Rejected events are kept as rejections.
    /// </summary>
    public static async Task Handle(
        IncomingCloudEvents message, Envelope envelope, IDocumentSession session, IMessageBus bus, ApplyGroups groups,
        RabbitMqIngestSettings settings, CareerLadder ladder, TimeProvider clock, ILogger<IncomingCloudEvents> logger,
        CancellationToken ct)
    {
        var (events, refusal) = CloudEvents.Read(message.ToMessage());
        if (refusal is not null)
        {
            logger.LogWarning(
                "RabbitMQ message {MessageId} on {Queue} is not CloudEvents ({Rule}); moved to {DeadLetterQueue}",
                envelope.Id, settings.Queue, refusal.Rule, settings.DeadLetterQueueName);
            throw new UnreadableMessageException(refusal.Rule, refusal.Detail);
        }
        var results = await Intake.AcceptAsync(session, bus, groups, events!, settings.Caller, ladder, "rabbitmq",
            CorrelationIds.Accepted(envelope.CorrelationId) ?? envelope.Id.ToString(), clock.GetUtcNow(), ct);
        var rejected = results.Count(r => r.Status == IngestStatus.Rejected);
        if (rejected > 0)
            logger.LogInformation(
                "RabbitMQ message {MessageId}: {Rejected} of {Count} events rejected (GET /api/ingest/rejections)",
                envelope.Id, rejected, results.Count);
    }
}

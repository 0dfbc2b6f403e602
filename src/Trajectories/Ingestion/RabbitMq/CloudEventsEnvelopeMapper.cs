using RabbitMQ.Client;
using Wolverine;
using Wolverine.RabbitMQ.Internal;

namespace Trajectories.Ingestion;

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

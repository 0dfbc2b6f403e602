using Wolverine;
using Wolverine.Runtime.Serialization;

namespace Trajectories.Ingestion;

internal sealed class RawBodySerializer : IMessageSerializer
{
    public const string Type = "application/x-trajectories-raw";
    public static readonly RawBodySerializer Instance = new();
    public string ContentType => Type;
    public byte[] Write(Envelope envelope) => envelope.Message is IncomingCloudEvents m ? m.Body : envelope.Data ?? [];

    public object ReadFromData(Type messageType, Envelope envelope) => new IncomingCloudEvents(envelope.Data ?? [],
        envelope.Headers.GetValueOrDefault(CloudEventsEnvelopeMapper.ContentTypeHeader),
        CloudEventsEnvelopeMapper.Attributes(envelope, out var unreadable), unreadable);

    public object ReadFromData(byte[] data) => new IncomingCloudEvents(data);
    public byte[] WriteMessage(object message) => message is IncomingCloudEvents m ? m.Body : [];
}

using System.Globalization;
using System.Text;
using RabbitMQ.Client;
using Wolverine;
using Wolverine.RabbitMQ.Internal;

namespace Trajectories.Ingestion;

/// <summary>
/// Publishers are not Wolverine applications: whatever their headers, a message on the ingest queue is an
/// <see cref="IncomingCloudEvents"/> holding the body's bytes, its content type and its CloudEvents headers, which the
/// handler reads itself (so a body that is not JSON reaches the handler and gets a reason, instead of failing inside
/// a serializer).
/// </summary>
internal sealed class CloudEventsEnvelopeMapper : IRabbitMqEnvelopeMapper
{
    /// <summary>Where the publisher's content type travels on the envelope (its own is the raw serializer's).</summary>
    public const string ContentTypeHeader = "trajectories-content-type";

    /// <summary>The prefixes of the AMQP binding of CloudEvents; ':' is the spec's, '_' the JMS-friendly one.</summary>
    public static readonly string[] Prefixes = ["cloudEvents:", "cloudEvents_"];

    public void MapIncomingToEnvelope(Envelope envelope, IReadOnlyBasicProperties incoming)
    {
        envelope.Id = Guid.TryParse(incoming.MessageId, out var id) ? id : Guid.CreateVersion7();
        envelope.CorrelationId = incoming.CorrelationId is { Length: > 0 and <= 100 } c ? c : null;
        envelope.MessageType = IncomingCloudEvents.TypeName;
        envelope.ContentType = RawBodySerializer.Type;
        envelope.Serializer = RawBodySerializer.Instance;
        if (incoming.ContentType is { Length: > 0 } type) envelope.Headers[ContentTypeHeader] = type;
        foreach (var (name, value) in incoming.Headers ?? new Dictionary<string, object?>())
            if (Prefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase)) is { } prefix)
                envelope.Headers[Prefixes[0] + name[prefix.Length..].ToLowerInvariant()] = Text(value);
    }

    public void MapEnvelopeToOutgoing(Envelope envelope, IBasicProperties outgoing)
    {
        // Only used to move a message to the dead-letter queue: keep what the publisher sent.
        outgoing.MessageId = envelope.Id.ToString();
        outgoing.CorrelationId = envelope.CorrelationId;
        outgoing.ContentType = envelope.Headers.GetValueOrDefault(ContentTypeHeader) ?? "application/cloudevents+json";
        outgoing.Persistent = true;
        var attributes = Attributes(envelope);
        if (attributes.Count > 0)
            outgoing.Headers = attributes.ToDictionary(a => Prefixes[0] + a.Key, a => (object?)a.Value);
    }

    /// <summary>The CloudEvents attributes the mapper put on the envelope, names without the prefix.</summary>
    public static List<KeyValuePair<string, string>> Attributes(Envelope envelope) => envelope.Headers
        .Where(h => h.Key.StartsWith(Prefixes[0], StringComparison.Ordinal))
        .Select(h => KeyValuePair.Create(h.Key[Prefixes[0].Length..], h.Value ?? ""))
        .ToList();

    /// <summary>
    /// A header value as the attribute's text: AMQP strings arrive as UTF-8 bytes, timestamps as seconds since 1970.
    /// </summary>
    private static string Text(object? value) => value switch
    {
        null => "",
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        bool b => b ? "true" : "false",
        AmqpTimestamp t => DateTimeOffset.FromUnixTimeSeconds(t.UnixTime).ToString("yyyy-MM-ddTHH:mm:ssZ"),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

using System.Globalization;
using System.Text;
using System.Text.Json;
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

    /// <summary>
    /// The CloudEvents headers, in order and with repeats (a dictionary of headers could hold only one of two), as a
    /// JSON array of [name, text] pairs; text is null for a value that is not text (a table, an array, bytes that are
    /// not UTF-8), which the reader refuses by name.
    /// </summary>
    public const string AttributesHeader = "trajectories-cloudevents-attributes";

    /// <summary>The prefixes of the AMQP binding of CloudEvents; ':' is the spec's, '_' the JMS-friendly one.</summary>
    public static readonly string[] Prefixes = ["cloudEvents:", "cloudEvents_"];

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    public void MapIncomingToEnvelope(Envelope envelope, IReadOnlyBasicProperties incoming)
    {
        envelope.Id = Guid.TryParse(incoming.MessageId, out var id) ? id : Guid.CreateVersion7();
        envelope.CorrelationId = incoming.CorrelationId is { Length: > 0 and <= 100 } c ? c : null;
        envelope.MessageType = IncomingCloudEvents.TypeName;
        envelope.ContentType = RawBodySerializer.Type;
        envelope.Serializer = RawBodySerializer.Instance;
        if (incoming.ContentType is { Length: > 0 } type) envelope.Headers[ContentTypeHeader] = type;
        var attributes = new List<string?[]>();
        foreach (var (name, value) in incoming.Headers ?? new Dictionary<string, object?>())
            if (Prefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase)) is { } prefix)
                attributes.Add([name[prefix.Length..].ToLowerInvariant(), Text(value)]);
        if (attributes.Count > 0) envelope.Headers[AttributesHeader] = JsonSerializer.Serialize(attributes);
    }

    public void MapEnvelopeToOutgoing(Envelope envelope, IBasicProperties outgoing)
    {
        // Not used on the ingest queue (its dead-lettering is RabbitMQ's own, which keeps the message as published);
        // were a message ever sent through here, it would keep what the publisher sent.
        outgoing.MessageId = envelope.Id.ToString();
        outgoing.CorrelationId = envelope.CorrelationId;
        outgoing.ContentType = envelope.Headers.GetValueOrDefault(ContentTypeHeader) ?? "application/cloudevents+json";
        outgoing.Persistent = true;
        var headers = new Dictionary<string, object?>();
        foreach (var (name, value) in Attributes(envelope, out _)) headers.TryAdd(Prefixes[0] + name, value);
        foreach (var (name, value) in envelope.Headers)
            if (!name.StartsWith("trajectories-", StringComparison.Ordinal)) headers.TryAdd(name, value);
        if (headers.Count > 0) outgoing.Headers = headers;
    }

    /// <summary>The CloudEvents attributes the mapper put on the envelope; the names whose value is not text.</summary>
    public static List<KeyValuePair<string, string>> Attributes(Envelope envelope, out List<string> unreadable)
    {
        unreadable = [];
        var result = new List<KeyValuePair<string, string>>();
        if (envelope.Headers.GetValueOrDefault(AttributesHeader) is not { } json) return result;
        foreach (var pair in JsonSerializer.Deserialize<List<string?[]>>(json) ?? [])
        {
            if (pair is not [{ } name, var value]) continue;
            if (value is null) unreadable.Add(name);
            else result.Add(KeyValuePair.Create(name, value));
        }
        return result;
    }

    /// <summary>
    /// A header value as the attribute's text: AMQP strings arrive as UTF-8 bytes (a plain array, or a byte-array
    /// table value from clients that send that type), timestamps as seconds since 1970. Null when it is not text.
    /// </summary>
    private static string? Text(object? value)
    {
        try
        {
            return value switch
            {
                null => null,
                byte[] bytes => StrictUtf8.GetString(bytes),
                BinaryTableValue binary => StrictUtf8.GetString(binary.Bytes),
                string s => s,
                bool b => b ? "true" : "false",
                AmqpTimestamp t => DateTimeOffset.FromUnixTimeSeconds(t.UnixTime).ToString("yyyy-MM-ddTHH:mm:ssZ"),
                sbyte or byte or short or ushort or int or uint or long or ulong or decimal =>
                    ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture),
                _ => null,                          // tables, arrays, floating point: not an attribute's text
            };
        }
        catch (DecoderFallbackException) { return null; }
    }
}

using CloudNative.CloudEvents.Http;

namespace Trajectories.Ingestion;

/// <summary>
/// A message as any channel receives it, before it is read as CloudEvents: the body, its content type, and the
/// attributes the channel carries beside the body (HTTP <c>ce-</c> headers, AMQP <c>cloudEvents:</c> properties), with
/// the prefix taken off and the name in lower case. With attributes beside it the message is in binary content mode
/// (the body is the event's data); without, it is structured (one event) or batched (an array of events).
/// </summary>
/// <param name="Prefix">How the channel names an attribute to the sender ("ce-", "cloudEvents:"), for errors.</param>
/// <param name="PercentEncoded">Whether values are percent-encoded, as the HTTP binding encodes header values.</param>
public sealed record CloudEventMessage(
    ReadOnlyMemory<byte> Body, string? ContentType, IReadOnlyList<KeyValuePair<string, string>> Attributes,
    string Prefix, bool PercentEncoded)
{
    /// <summary>A body alone (a file line, a structured message): read as structured or batched.</summary>
    public static CloudEventMessage Structured(ReadOnlyMemory<byte> body) => new(body, null, [], "", false);

    /// <summary>Attributes whose value the channel could not read as text (an AMQP table, bytes not UTF-8).</summary>
    public IReadOnlyList<string> Unreadable { get; init; } = [];

    public bool IsBinary => Attributes.Count > 0 || Unreadable.Count > 0;

    /// <summary>
    /// An HTTP request (the HTTP binding): its body, Content-Type and ce- headers, one entry per value.
    /// </summary>
    public static CloudEventMessage FromHttp(HttpRequest request, ReadOnlyMemory<byte> body) => new(
        body, request.ContentType,
        request.Headers
            .Where(h => h.Key.StartsWith(HttpUtilities.HttpHeaderPrefix, StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Select(v => KeyValuePair.Create(
                HttpUtilities.GetAttributeNameFromHeaderName(h.Key)!, v ?? "")))
            .ToList(),
        HttpUtilities.HttpHeaderPrefix, PercentEncoded: true);
}

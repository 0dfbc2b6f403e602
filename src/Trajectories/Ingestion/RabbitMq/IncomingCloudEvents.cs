using Wolverine.Attributes;

namespace Trajectories.Ingestion;

/// <summary>
/// A RabbitMQ message exactly as published: the body (one CloudEvent, a batch, or in binary mode the event's data),
/// its content type, and the CloudEvents attributes among its headers (AMQP binding: <c>cloudEvents:</c> or
/// <c>cloudEvents_</c> prefixed, the prefix taken off). Judged like an HTTP request.
/// </summary>
[MessageIdentity(TypeName)]
public sealed record IncomingCloudEvents(
    byte[] Body, string? ContentType = null, IReadOnlyList<KeyValuePair<string, string>>? Attributes = null,
    IReadOnlyList<string>? Unreadable = null)
{
    public const string TypeName = "trajectories.incoming-cloudevents";

    public CloudEventMessage ToMessage() =>
        new(Body, ContentType, Attributes ?? [], "cloudEvents:", false) { Unreadable = Unreadable ?? [] };
}

using Wolverine;
using Wolverine.Attributes;

namespace Trajectories.Ingestion;

/// <summary>
/// A RabbitMQ message body exactly as published: one CloudEvent or a batch, judged like an HTTP body.
/// </summary>
[MessageIdentity(TypeName)]
public sealed record IncomingCloudEvents(byte[] Body)
{
    public const string TypeName = "trajectories.incoming-cloudevents";
}

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

/// <summary>
/// Thrown for a message that is not CloudEvents at all; the listener moves it to the dead-letter queue.
/// </summary>
public sealed class UnreadableMessageException(string rule, string detail) : Exception($"{rule}: {detail}")
{
    public string Rule { get; } = rule;
}

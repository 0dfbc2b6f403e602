namespace Trajectories.Ingestion;

/// <summary>
/// Thrown for a message that is not CloudEvents at all; the listener moves it to the dead-letter queue.
/// </summary>
public sealed class UnreadableMessageException(string rule, string detail) : Exception($"{rule}: {detail}")
{
    public string Rule { get; } = rule;
}

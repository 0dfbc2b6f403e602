namespace Trajectories.Retries;

/// <summary>
/// What the store knows of a key when a request presents it: claimed now (run the request), or held by an earlier
/// request with this fingerprint and, when it finished, its answer.
/// </summary>
public sealed record IdempotencyKey(
    string Owner, string Key, bool Claimed, string Fingerprint, DateTimeOffset StartedAt, DateTimeOffset? CommittedAt,
    int? Status, string? ContentType, string? Location, byte[]? Body)
{
    public bool Answered => Status is not null;
}

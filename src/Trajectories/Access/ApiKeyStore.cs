using System.Collections.Concurrent;
using Marten;

namespace Trajectories.Access;

/// <summary>
/// Finds the stored key for a presented key. Answers are kept for a few seconds (Auth:KeyCacheSeconds, default 5) so
/// a burst of requests costs one query; a revocation through this instance clears the cache at once, one through
/// another instance takes effect within that time.
/// </summary>
public sealed class ApiKeyStore(IDocumentStore store, TimeProvider clock, AccessSettings settings)
{
    private readonly ConcurrentDictionary<string, (ApiKey? Key, DateTimeOffset Until)> _cache = new();
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(settings.KeyCacheSeconds);

    public async Task<ApiKey?> FindActiveAsync(string presented, CancellationToken ct)
    {
        var hash = ApiKey.HashOf(presented);
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(hash, out var hit) && hit.Until > now) return hit.Key;

        await using var session = store.QuerySession();
        var key = await session.Query<ApiKey>().Where(k => k.Hash == hash).FirstOrDefaultAsync(ct);
        var active = key is { IsActive: true } ? key : null;
        // Unknown keys are not cached: a flood of random keys must not grow memory.
        if (active is not null) _cache[hash] = (active, now + _ttl);
        return active;
    }

    public void Forget() => _cache.Clear();
}

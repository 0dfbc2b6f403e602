using System.Collections.Concurrent;
using Marten;

namespace Trajectories.Access;

/// <summary>
/// Sessions and the keys behind them. A found session is kept for <c>Auth:KeyCacheSeconds</c> like a found key: a
/// sign-out or revocation through another node takes effect within that time, through this one at once.
/// </summary>
public sealed class SessionStore(
    IDocumentStore store, TimeProvider clock, SessionSettings settings, AccessSettings access)
{
    private readonly ConcurrentDictionary<string, (WebSession Session, ApiKey Key, DateTimeOffset Until)> _cache =
        new();
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(access.KeyCacheSeconds);

    public async Task<(string Token, WebSession Session)> StartAsync(ApiKey key, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var token = WebSession.NewToken();
        var session = new WebSession
        {
            Id = ApiKey.HashOf(token), KeyId = key.Id, CsrfToken = WebSession.NewToken(), CreatedAt = now,
            LastSeenAt = now, ExpiresAt = now + settings.Lifetime,
        };
        await using var db = store.LightweightSession();
        db.Store(session);
        await db.SaveChangesAsync(ct);
        return (token, session);
    }

    /// <summary>The live session of this cookie token and its active key, or null (ended, expired, revoked).</summary>
    public async Task<(WebSession Session, ApiKey Key)?> FindAsync(string token, CancellationToken ct)
    {
        var id = ApiKey.HashOf(token);
        var now = clock.GetUtcNow();
        WebSession? session;
        ApiKey? key;
        if (_cache.TryGetValue(id, out var hit) && hit.Until > now) (session, key) = (hit.Session, hit.Key);
        else
        {
            await using var db = store.QuerySession();
            session = await db.LoadAsync<WebSession>(id, ct);
            key = session is null ? null : await db.LoadAsync<ApiKey>(session.KeyId, ct);
        }
        if (session is null || key is not { IsActive: true } || now >= session.ExpiresAt
            || now - session.LastSeenAt >= settings.Idle)
        {
            _cache.TryRemove(id, out _);
            return null;
        }
        if (now - session.LastSeenAt >= settings.TouchEvery)
        {
            session.LastSeenAt = now;
            await using var db = store.LightweightSession();
            db.Store(session); // every other field is fixed at sign-in
            await db.SaveChangesAsync(ct);
        }
        _cache[id] = (session, key, now + _ttl);
        return (session, key);
    }

    public async Task EndAsync(string token, CancellationToken ct)
    {
        var id = ApiKey.HashOf(token);
        _cache.TryRemove(id, out _);
        await using var db = store.LightweightSession();
        db.Delete<WebSession>(id);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A revoked key's sessions end with it (queued in the revoking session's unit of work).</summary>
    public void EndAllOf(IDocumentSession db, Guid keyId)
    {
        db.DeleteWhere<WebSession>(s => s.KeyId == keyId);
        _cache.Clear();
    }

    /// <summary>Sessions past their end or idle too long: deleted (they are refused already).</summary>
    public async Task ForgetEndedAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var idleSince = now - settings.Idle;
        await using var db = store.LightweightSession();
        db.DeleteWhere<WebSession>(s => s.ExpiresAt < now || s.LastSeenAt < idleSince);
        await db.SaveChangesAsync(ct);
    }
}

using System.Collections.Concurrent;
using Marten;

namespace Trajectories.Access;

/// <summary>
/// Sessions and the keys behind them. A found session is kept for <c>Auth:KeyCacheSeconds</c> from when it was read
/// from the database (never extended by use), like a found key: a sign-out or revocation through another node takes
/// effect within that time, through this one at once. Its last use is written with an update that cannot bring back
/// a session deleted meanwhile (a hostile review found an upsert doing exactly that).
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
        var cached = _cache.TryGetValue(id, out var hit) && hit.Until > now;
        if (cached) (session, key) = (hit.Session, hit.Key);
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
            if (!await TouchAsync(id, now, ct))
            {
                // Ended meanwhile (signed out, revoked, through another node): ended here too.
                _cache.TryRemove(id, out _);
                return null;
            }
        }
        if (!cached) _cache[id] = (session, key, now + _ttl);
        return (session, key);
    }

    /// <summary>Writes the last use of a session that still exists; false when it no longer does.</summary>
    private async Task<bool> TouchAsync(string id, DateTimeOffset now, CancellationToken ct)
    {
        // Marten's document table for WebSession (mt_doc_ and the type's name in lower case).
        var table = $"{store.Options.DatabaseSchemaName}.mt_doc_websession";
        await using var connection = (Npgsql.NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new Npgsql.NpgsqlCommand(
            $"update {table} set data = jsonb_set(data, '{{lastSeenAt}}', to_jsonb(@now::text)) where id = @id",
            connection);
        command.Parameters.AddWithValue("now", now.ToString("O"));
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Forgets cached sessions past their cache time: memory does not grow with every cookie seen.</summary>
    public void Trim()
    {
        var now = clock.GetUtcNow();
        foreach (var (id, entry) in _cache)
            if (entry.Until <= now) _cache.TryRemove(id, out _);
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

using Microsoft.AspNetCore.Mvc;
using Marten;
using Trajectories.Careers;
using Wolverine.Http;

namespace Trajectories.Access;

public sealed record CreatedKey(
    Guid Id, string Key, string Role, IReadOnlyList<string> States, string Name, IReadOnlyList<string> Sources);

/// <summary>
/// Admins make, list and revoke keys (no [Access]: admin only). The key is in the 201 answer and nowhere else, ever.
/// </summary>
public static class KeyEndpoints
{
    [WolverinePost("/api/keys", Summary = "Create an API key (shown once)"), Tags("Access")]
    [ProducesResponseType<CreatedKey>(201)]
    public static async Task<IResult> Create(
        CreateKey request, HttpContext context, IDocumentSession session, TimeProvider clock)
    {
        var errors = new RequestErrors();
        if (KeySpec.Validate(request, errors) is not { } spec) return errors.AsRejection().ToProblem();
        var (key, secret) = ApiKey.Create(
            spec.Name, spec.Role, spec.States, Caller.From(context.User).RecordedBy, clock.GetUtcNow(),
            sources: spec.Sources);
        session.Insert(key);
        await session.SaveChangesAsync();
        return Results.Created($"/api/keys/{key.Id}",
            new CreatedKey(key.Id, secret, key.Role, key.States, key.Name, key.Sources));
    }

    [WolverineGet("/api/keys", Summary = "List the API keys"), Tags("Access")]
    [ProducesResponseType<IReadOnlyList<ApiKeyView>>(200)]
    public static async Task<IResult> List(bool? includeRevoked, IQuerySession session, CancellationToken ct)
    {
        var keys = await session.Query<ApiKey>().OrderBy(k => k.CreatedAt).ToListAsync(ct);
        return Results.Ok(keys.Where(k => includeRevoked == true || k.IsActive).Select(ApiKeyView.Of).ToList());
    }

    /// <summary>The advisory lock revocations take ("trj-keys" in ASCII): any number, if it is ours alone.</summary>
    private const long RevocationLock = 0x74726A2D6B657973;

    [WolverineDelete("/api/keys/{id}", Summary = "Revoke an API key (and end its web sessions)"), Tags("Access")]
    public static async Task<IResult> Revoke(
        Guid id, HttpContext context, IDocumentSession session, ApiKeyStore keys, SessionStore sessions,
        TimeProvider clock)
    {
        // One revocation at a time, on every node: two admins revoking each other's keys at once would each count
        // two active admin keys and leave none. The lock is the transaction's: released at commit or rollback.
        await session.BeginTransactionAsync(CancellationToken.None);
        await using (var lockCommand =
                     new Npgsql.NpgsqlCommand("select pg_advisory_xact_lock(@id)", session.Connection))
        {
            lockCommand.Parameters.AddWithValue("id", RevocationLock);
            await lockCommand.ExecuteNonQueryAsync();
        }
        var key = await session.LoadAsync<ApiKey>(id);
        if (key is null) return Problems.NotFound("key-not-found", $"No key has id {id}.");
        if (key.IsActive)
        {
            // Nobody could make keys again (short of the CLI on the server): keep at least one admin key.
            if (key.Role == Roles.Admin
                && await session.Query<ApiKey>().CountAsync(k => k.Role == Roles.Admin && k.RevokedAt == null) <= 1)
                return new Rejection("last-admin-key", 409,
                    "This is the last active admin key; create another admin key before revoking it.").ToProblem();
            key.RevokedAt = clock.GetUtcNow();
            key.RevokedBy = Caller.From(context.User).RecordedBy;
            session.Store(key);
            sessions.EndAllOf(session, key.Id);
            await session.SaveChangesAsync();
            keys.Forget();
        }
        return Results.NoContent();
    }
}

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
    [WolverinePost("/api/keys"), Tags("Access")]
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

    [WolverineGet("/api/keys"), Tags("Access")]
    [ProducesResponseType<IReadOnlyList<ApiKeyView>>(200)]
    public static async Task<IResult> List(bool? includeRevoked, IQuerySession session, CancellationToken ct)
    {
        var keys = await session.Query<ApiKey>().OrderBy(k => k.CreatedAt).ToListAsync(ct);
        return Results.Ok(keys.Where(k => includeRevoked == true || k.IsActive).Select(ApiKeyView.Of).ToList());
    }

    [WolverineDelete("/api/keys/{id}"), Tags("Access")]
    public static async Task<IResult> Revoke(
        Guid id, HttpContext context, IDocumentSession session, ApiKeyStore keys, TimeProvider clock)
    {
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
            await session.SaveChangesAsync();
            keys.Forget();
        }
        return Results.NoContent();
    }
}

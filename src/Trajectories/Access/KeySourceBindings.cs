using Marten;
using Trajectories.Careers;
using Trajectories.Ingestion;

namespace Trajectories.Access;

/// <summary>
/// Sources are bound to integration keys when an admin creates them (`sources` in POST /api/keys, `--source` in the
/// CLI). A key with sources sends only those; a key without (as keys were before sources existed) sends any source
/// that no other key was created with. Admins, and the service's own channels (RabbitMQ, files), are not limited.
/// </summary>
public sealed class KeySourceBindings(IDocumentStore store) : ISourceBindings
{
    public const string Rule = ISourceBindings.NotAllowed;

    public async Task<IReadOnlyDictionary<string, Rejection>> RefusedAsync(
        Caller caller, IReadOnlyCollection<string> sources, CancellationToken ct)
    {
        if (caller.Role != Roles.Integration || caller.Kind is not ("key" or "token") || sources.Count == 0)
            return new Dictionary<string, Rejection>();
        await using var session = store.QuerySession();
        // Revoked keys too: a source stays bound while its key is rotated, or another key could take it in between.
        var bound = await session.Query<ApiKey>().Where(k => k.Role == Roles.Integration).ToListAsync(ct);
        var own = caller.Kind == "key"
            ? bound.FirstOrDefault(k => k.Id.ToString() == caller.Id && k.IsActive)?.Sources ?? []
            : [];
        var refused = new Dictionary<string, Rejection>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            if (own.Count > 0 && !own.Contains(source, StringComparer.OrdinalIgnoreCase))
                refused[source] = new Rejection(Rule, 403,
                    $"This key sends events from {string.Join(", ", own)} only; ask an admin for a key for {source}.");
            else if (own.Count == 0 && bound.Any(k => k.Id.ToString() != caller.Id
                         && k.Sources.Contains(source, StringComparer.OrdinalIgnoreCase)))
                refused[source] = new Rejection(Rule, 403,
                    $"The source {source} belongs to another integration key.");
        }
        return refused;
    }
}

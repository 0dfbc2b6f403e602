using Marten;
using Trajectories.Careers.Reading;

namespace Trajectories.Access;

/// <summary>Key names for the timeline's "recorded by" (<see cref="IRecorderNames"/>); revoked keys keep
/// theirs.</summary>
public sealed class RecorderNames(IDocumentStore store) : IRecorderNames
{
    public async Task<IReadOnlyDictionary<string, string>> NamesAsync(
        IReadOnlyCollection<string> recordedBy, CancellationToken ct)
    {
        var ids = recordedBy.Where(r => r.StartsWith("key:", StringComparison.Ordinal))
            .Select(r => Guid.TryParse(r["key:".Length..], out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty).Distinct().ToArray();
        if (ids.Length == 0) return new Dictionary<string, string>();
        await using var session = store.QuerySession();
        var keys = await session.LoadManyAsync<ApiKey>(ct, ids);
        return keys.Where(k => k.Name.Length > 0).ToDictionary(k => $"key:{k.Id}", k => k.Name);
    }
}

using System.Security.Cryptography;
using Marten;
using Microsoft.Extensions.Options;
using Trajectories.Retention.Facts;

namespace Trajectories.Retention.Disclosure;

/// <summary>
/// A release: the retention facts as recorded at one moment, from which every analyst answer is computed until the
/// next release (ADR 14). Without it an answer for a fixed month end changed the moment a late event was recorded,
/// and only in that person's cells, so an analyst polling one month end saw which cells the late record touched.
/// A release is cut by the first analyst answer of each calendar month, or by an admin (after a data migration).
/// </summary>
public sealed class AnalystRelease
{
    public string Id { get; set; } = "";
    /// <summary>The calendar month the release serves, as yyyy-MM.</summary>
    public string Month { get; set; } = "";
    /// <summary>1 for the month's first release, 2 and up for an admin's later ones.</summary>
    public int Sequence { get; set; }
    public DateTimeOffset CutAt { get; set; }
    public int People { get; set; }
    public int Chunks { get; set; }

    /// <summary>The release's number in the perturbation's release part: its id hashed.</summary>
    public uint Number() => BitConverter.ToUInt32(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Id)));
}

/// <summary>A release's facts, 2,000 people per document (one document of 100,000 would be too large).</summary>
public sealed class AnalystReleaseChunk
{
    public string Id { get; set; } = "";
    public string ReleaseId { get; set; } = "";
    public List<RetentionFacts> Facts { get; set; } = [];
}

public sealed record ReleasedFacts(AnalystRelease Release, IReadOnlyList<RetentionFacts> Facts);

/// <summary>
/// Finds, cuts and loads releases. Every node serves the same release: the month's release is a document whose id
/// is the month and its sequence, and of two nodes cutting at once the insert makes one win; the other loads the
/// winner's. A node checks for a newer release (an admin's, cut on another node) once per cache refresh interval.
/// Facts of releases before the previous one are deleted when a release is cut.
/// </summary>
public sealed class AnalystReleases(IDocumentStore store, TimeProvider clock, IOptions<RetentionCacheOptions> options)
{
    private const int ChunkSize = 2000;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ReleasedFacts? _current;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;

    public static string MonthOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM");

    /// <summary>The release analysts' answers come from now, cut from <paramref name="live"/> if none yet.</summary>
    public async Task<ReleasedFacts> CurrentAsync(
        Func<CancellationToken, Task<IReadOnlyList<RetentionFacts>>> live, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var month = MonthOf(now);
        if (_current is { } known && known.Release.Month == month
            && now - _checkedAt < TimeSpan.FromMilliseconds(options.Value.CacheRefreshMilliseconds)) return known;
        await _gate.WaitAsync(ct);
        try
        {
            if (_current is { } again && again.Release.Month == month
                && now - _checkedAt < TimeSpan.FromMilliseconds(options.Value.CacheRefreshMilliseconds)) return again;
            var latest = await LatestAsync(month, ct) ?? await CutAsync(month, 1, live, ct);
            if (_current?.Release.Id != latest.Id) _current = new ReleasedFacts(latest, await LoadAsync(latest, ct));
            _checkedAt = now;
            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>An admin's new release of what is recorded now (the month's next sequence).</summary>
    public async Task<AnalystRelease> CutNowAsync(
        Func<CancellationToken, Task<IReadOnlyList<RetentionFacts>>> live, CancellationToken ct)
    {
        var month = MonthOf(clock.GetUtcNow());
        await _gate.WaitAsync(ct);
        try
        {
            var latest = await LatestAsync(month, ct);
            var release = await CutAsync(month, (latest?.Sequence ?? 0) + 1, live, ct);
            _checkedAt = DateTimeOffset.MinValue;
            return release;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<AnalystRelease?> LatestAsync(string month, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<AnalystRelease>().Where(r => r.Month == month)
            .OrderByDescending(r => r.Sequence).FirstOrDefaultAsync(ct);
    }

    private async Task<AnalystRelease> CutAsync(string month, int sequence,
        Func<CancellationToken, Task<IReadOnlyList<RetentionFacts>>> live, CancellationToken ct)
    {
        var facts = await live(ct);
        var release = new AnalystRelease
        {
            Id = $"{month}.{sequence}", Month = month, Sequence = sequence, CutAt = clock.GetUtcNow(),
            People = facts.Count, Chunks = (facts.Count + ChunkSize - 1) / ChunkSize,
        };
        try
        {
            await using var session = store.LightweightSession();
            var previous = await session.Query<AnalystRelease>().OrderByDescending(r => r.CutAt)
                .FirstOrDefaultAsync(ct);
            session.Insert(release);
            for (var i = 0; i < release.Chunks; i++)
                session.Store(new AnalystReleaseChunk
                {
                    Id = $"{release.Id}/{i}", ReleaseId = release.Id,
                    Facts = facts.Skip(i * ChunkSize).Take(ChunkSize).ToList(),
                });
            var keep = previous?.Id ?? release.Id;
            session.DeleteWhere<AnalystReleaseChunk>(c => c.ReleaseId != release.Id && c.ReleaseId != keep);
            await session.SaveChangesAsync(ct);
            return release;
        }
        catch (Exception e) when (e is JasperFx.DocumentAlreadyExistsException or JasperFx.ConcurrencyException)
        {
            // Another node cut this release first: serve theirs.
            return await LatestAsync(month, ct) ?? throw new InvalidOperationException("release vanished", e);
        }
    }

    private async Task<IReadOnlyList<RetentionFacts>> LoadAsync(AnalystRelease release, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var chunks = await session.Query<AnalystReleaseChunk>().Where(c => c.ReleaseId == release.Id)
            .ToListAsync(ct);
        return chunks.SelectMany(c => c.Facts).ToList();
    }
}

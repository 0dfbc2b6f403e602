using System.Security.Cryptography;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
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
    /// <summary>The facts' count and newest change when cut: an admin's cut of unchanged facts cuts nothing.</summary>
    public string FactsVersion { get; set; } = "";

    public static int MonthNumber(string month) => int.Parse(month[..4]) * 12 + int.Parse(month[5..7]) - 1;

    /// <summary>The month end the release is as of: the last day of the month before the one it was cut in.</summary>
    public DateOnly AsOf() => new DateOnly(CutAt.UtcDateTime.Year, CutAt.UtcDateTime.Month, 1).AddDays(-1);

    /// <summary>The release's number in the perturbation's release part: its id hashed.</summary>
    public uint Number() => BitConverter.ToUInt32(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Id)));
}

/// <summary>A release's facts, 2,000 people per document (one document of 100,000 would be too large).</summary>
public sealed class AnalystReleaseChunk
{
    public string Id { get; set; } = "";
    public string ReleaseId { get; set; } = "";
    /// <summary>The release's month as a number (year · 12 + month − 1), for deleting old releases' facts.</summary>
    public int Month { get; set; }
    public List<RetentionFacts> Facts { get; set; } = [];
}

public sealed record ReleasedFacts(AnalystRelease Release, IReadOnlyList<RetentionFacts> Facts);

/// <summary>No release exists yet and the retention projection is behind: analysts are asked to come back.</summary>
public sealed class ReleaseNotReadyException(string detail) : Exception(detail);

/// <summary>
/// Finds, cuts and loads releases. Every node serves the same release: the month's release is a document whose id
/// is the month and its sequence, and of two nodes cutting at once the insert makes one win; the other loads the
/// winner's. A node checks for a newer release (an admin's, cut on another node) once per cache refresh interval.
/// A cut deletes the facts of releases two or more months older than its own month (never a newer or a concurrent
/// one's). The month's first release is not cut while the retention projection is behind: the month before's is
/// served meanwhile, or, with none, a 503 asks to come back.
/// </summary>
public sealed class AnalystReleases(IDocumentStore store, TimeProvider clock, IOptions<RetentionCacheOptions> options)
{
    /// <summary>How old the oldest event the retention projection has not yet processed may be at a cut.</summary>
    public static readonly TimeSpan MaxLagAtCut = TimeSpan.FromSeconds(3);
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
            var latest = await LatestAsync(month, ct);
            if (latest is null)
            {
                // A release cut while the projection is behind would miss people for a month (a node just started,
                // a backlog): serve the newest earlier release until it has caught up.
                if (await BehindAsync(ct) is { } behind)
                    latest = await NewestAsync(ct) ?? throw new ReleaseNotReadyException(behind);
                else latest = await CutAsync(month, 1, live, ct);
            }
            if (_current?.Release.Id != latest.Id) _current = new ReleasedFacts(latest, await LoadAsync(latest, ct));
            _checkedAt = now;
            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// An admin's new release of what is recorded now (the month's next sequence), or, when nothing changed since
    /// the newest release, that one (Cut false): every release is another sample of every cell's release part, so a
    /// retried or doubled request must not make one.
    /// </summary>
    public async Task<(AnalystRelease Release, bool Cut)> CutNowAsync(
        Func<CancellationToken, Task<IReadOnlyList<RetentionFacts>>> live, CancellationToken ct)
    {
        var month = MonthOf(clock.GetUtcNow());
        await _gate.WaitAsync(ct);
        try
        {
            // The same rule as the month's first cut: a release cut mid-backlog would serve part of the people.
            if (await BehindAsync(ct) is { } behind) throw new ReleaseNotReadyException(behind);
            if (await NewestAsync(ct) is { } newest && newest.FactsVersion == Version(await live(ct)))
                return (newest, false);
            var latest = await LatestAsync(month, ct);
            var release = await CutAsync(month, (latest?.Sequence ?? 0) + 1, live, ct);
            _checkedAt = DateTimeOffset.MinValue;
            return (release, true);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string Version(IReadOnlyList<RetentionFacts> facts) =>
        $"{facts.Count}:{(facts.Count == 0 ? DateTimeOffset.MinValue : facts.Max(f => f.LastModified)):O}";

    /// <summary>The newest release of any month, by month and sequence (not by a node's clock).</summary>
    private async Task<AnalystRelease?> NewestAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<AnalystRelease>().OrderByDescending(r => r.Month)
            .ThenByDescending(r => r.Sequence).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// How far the retention projection is behind, if the oldest event it has not processed is older than
    /// <see cref="MaxLagAtCut"/> (events of the last moments are the next release's, as always); else null.
    /// </summary>
    private async Task<string?> BehindAsync(CancellationToken ct)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select count(*), min(e.timestamp) from {schema}.mt_events e where e.seq_id > coalesce((select " +
            $"min(last_seq_id) from {schema}.mt_event_progression where name like 'RetentionFacts%'), 0)",
            connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var waiting = reader.GetInt64(0);
        if (waiting == 0 || reader.IsDBNull(1)) return null;
        var oldest = new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc));
        return clock.GetUtcNow() - oldest > MaxLagAtCut ? $"{waiting} recorded events not yet counted" : null;
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
            People = facts.Count, Chunks = (facts.Count + ChunkSize - 1) / ChunkSize, FactsVersion = Version(facts),
        };
        var monthNumber = AnalystRelease.MonthNumber(month);
        try
        {
            await using var session = store.LightweightSession();
            session.Insert(release);
            for (var i = 0; i < release.Chunks; i++)
                session.Store(new AnalystReleaseChunk
                {
                    Id = $"{release.Id}/{i}", ReleaseId = release.Id, Month = monthNumber,
                    Facts = facts.Skip(i * ChunkSize).Take(ChunkSize).ToList(),
                });
            // Two months back and older only: a concurrent cut of this month or the next is never touched, and the
            // month before's stays for a node still serving it.
            var keepFrom = monthNumber - 1;
            session.DeleteWhere<AnalystReleaseChunk>(c => c.Month < keepFrom);
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
        var facts = chunks.SelectMany(c => c.Facts).ToList();
        // A release is written in one transaction; fewer facts than it says means its chunks were deleted.
        if (chunks.Count != release.Chunks || facts.Count != release.People)
            throw new InvalidOperationException(
                $"Release {release.Id} is incomplete ({facts.Count} of {release.People} people): cut a new one.");
        return facts;
    }
}

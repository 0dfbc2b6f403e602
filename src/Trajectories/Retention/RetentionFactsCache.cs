using Marten;
using Marten.Linq.LastModified;
using Microsoft.Extensions.Options;
using Trajectories.Retention.Facts;

namespace Trajectories.Retention;

public sealed class RetentionCacheOptions
{
    /// <summary>
    /// Retention:CacheRefreshMilliseconds: how stale the in-memory facts may be before a query refreshes them.
    /// </summary>
    public int CacheRefreshMilliseconds { get; set; } = 1000;
}

/// <summary>
/// The facts one caller's answers come from: an analyst's, the current release's (<see cref="Release"/> says which);
/// everyone else's, the live ones. <see cref="ReleaseNumber"/> feeds the perturbation's release part.
/// </summary>
public sealed record FactsView(IReadOnlyList<RetentionFacts> All, Disclosure.AnalystRelease? Release)
{
    public uint ReleaseNumber => Release?.Number() ?? 0;

    /// <summary>
    /// The as-of date an analyst's answer from this release is for (ADR 14): the release's own month end (the last
    /// day of the month before it was cut) for that date or later, else the year end on or before the date asked.
    /// One release answers a cell the same through every as-of date, so two dates a month apart would tell by their
    /// equal cells which did not change in that month: within a release, earlier dates are a year apart.
    /// </summary>
    public RetentionQuery Resolve(RetentionQuery query)
    {
        if (Release is null) return query;
        var releaseEnd = Release.AsOf();
        var asOf = query.AsOf >= releaseEnd ? releaseEnd
            : query.AsOf is { Month: 12, Day: 31 } ? query.AsOf : new DateOnly(query.AsOf.Year - 1, 12, 31);
        return query with { AsOf = asOf };
    }
}

/// <summary>
/// Every specialist's retention facts in memory, so an analyst's query over 100,000 people computes in
/// milliseconds instead of reading 100,000 JSON documents each time. The first query loads them all; later
/// queries, at most once per refresh interval, read only the documents modified since the newest one seen. A
/// document's timestamp is when its transaction began, not when it committed, so for a few seconds after the newest
/// change the read reaches back by an overlap; once that has passed, it starts at the newest change itself.
/// Facts are never deleted. A hosted service warms the cache at start-up.
/// </summary>
public sealed class RetentionFactsCache(
    IDocumentStore store, IOptions<RetentionCacheOptions> options, TimeProvider clock, Disclosure.RecordKeys keys,
    Disclosure.AnalystReleases releases)
{
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<Guid, RetentionFacts> _byId = [];
    private IReadOnlyList<RetentionFacts> _all = [];
    private DateTimeOffset? _highWater;
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;
    private readonly Dictionary<(string, DateOnly, bool), (IReadOnlyList<RetentionFacts> Facts, object Value)> _memo =
        [];
    private readonly FactsTable?[] _tables = new FactsTable?[2];
    private readonly SemaphoreSlim _tableGate = new(1, 1);

    /// <summary>Record keys for the cell key method, once the secret is loaded (<see cref="KeysReadyAsync"/>).
    /// </summary>
    public uint KeyOf(Guid id) => keys.Of(id);

    public Task KeysReadyAsync(CancellationToken ct) => keys.ReadyAsync(ct);

    /// <summary>The facts the caller's answers come from: a release for analysts, live for the rest.</summary>
    public async Task<FactsView> ViewAsync(HttpContext context, CancellationToken ct)
    {
        if (!PrivacyOptions.Perturbs(context))
        {
            var all = await AllAsync(ct);
            return new FactsView(all, null);
        }
        var released = await releases.CurrentAsync(AllAsync, ct);
        return new FactsView(released.Facts, released.Release);
    }

    /// <summary>
    /// Every person's spells for a measure as seen on a date, kept until the facts change: analysts ask the same
    /// measure and date over and over with other groupings and filters, and turning 100,000 people into spells is
    /// most of the work. Computed on both cores.
    /// </summary>
    public Task<IReadOnlyList<Spell>> SpellsAsync(Measure measure, DateOnly asOf, FactsView view,
        CancellationToken ct) =>
        MemoAsync<IReadOnlyList<Spell>>($"spells:{measure}", asOf, view,
            keyOf => view.All.AsParallel().SelectMany(f => Spells.For(measure, f, asOf, keyOf)).ToList(), ct);

    /// <summary>
    /// Anything computed from every person's facts for a date (spells, spell tables, first-promotion spells, ladder
    /// paths, scored check-ins), kept until the facts change: <paramref name="compute"/> gets the record keys. Kept
    /// for the very list of facts it was made from: a version number read beside the list could be a refresh newer
    /// than the list, and results from old facts would then pass for the new ones.
    /// </summary>
    public async Task<T> MemoAsync<T>(string name, DateOnly asOf, FactsView view,
        Func<Func<Guid, uint>, T> compute, CancellationToken ct) where T : class
    {
        await keys.ReadyAsync(ct);
        var cacheKey = (name, asOf, view.Release is not null);
        lock (_memo)
            if (_memo.TryGetValue(cacheKey, out var hit) && ReferenceEquals(hit.Facts, view.All)) return (T)hit.Value;
        var value = compute(keys.Of);
        lock (_memo)
        {
            if (_memo.Count >= 48) _memo.Clear();
            _memo[cacheKey] = (view.All, value);
        }
        return value;
    }

    /// <summary>
    /// The spells of <see cref="SpellsAsync"/> as a <see cref="SpellTable"/>, kept with them: the survival and reasons
    /// answers group and estimate from it.
    /// </summary>
    public async Task<SpellTable> SpellTableAsync(Measure measure, DateOnly asOf, FactsView view, CancellationToken ct)
    {
        var spells = await SpellsAsync(measure, asOf, view, ct);
        return await MemoAsync($"spell-table:{measure}", asOf, view, _ => new SpellTable(spells), ct);
    }

    /// <summary>
    /// The view's facts as columns (<see cref="FactsTable"/>), with record keys, built once per set of facts: the live
    /// facts and the analysts' release each keep theirs until they change. Two queries arriving together build it once.
    /// </summary>
    public async Task<FactsTable> TableAsync(FactsView view, CancellationToken ct)
    {
        var slot = view.Release is null ? 0 : 1;
        if (_tables[slot] is { } hit && ReferenceEquals(hit.Facts, view.All)) return hit;
        await keys.ReadyAsync(ct);
        await _tableGate.WaitAsync(ct);
        try
        {
            if (_tables[slot] is { } built && ReferenceEquals(built.Facts, view.All)) return built;
            var table = new FactsTable(view.All, keys.Of);
            _tables[slot] = table;
            return table;
        }
        finally
        {
            _tableGate.Release();
        }
    }

    public Task<IReadOnlyList<RetentionFacts>> AllAsync(CancellationToken ct) => AllAsync(ct, force: false);

    /// <summary>Every specialist's facts as the database has them now, however recently the cache was read.</summary>
    public Task<IReadOnlyList<RetentionFacts>> CurrentAsync(CancellationToken ct) => AllAsync(ct, force: true);

    private async Task<IReadOnlyList<RetentionFacts>> AllAsync(CancellationToken ct, bool force)
    {
        if (!force && Fresh()) return _all;
        await _gate.WaitAsync(ct);
        try
        {
            if (!force && Fresh()) return _all;
            var started = clock.GetUtcNow();
            await using var session = store.QuerySession();
            IQueryable<RetentionFacts> query = session.Query<RetentionFacts>();
            if (_highWater is { } since)
            {
                var from = started - since > Overlap ? since : since - Overlap;
                query = query.Where(f => f.ModifiedSince(from));
            }
            // Documents at exactly the newest timestamp come back every time: only those not yet seen count as changes.
            var changed = (await query.ToListAsync(ct))
                .Where(f => !_byId.TryGetValue(f.Id, out var known) || known.LastModified != f.LastModified).ToList();
            if (changed.Count > 0)
            {
                var next = new Dictionary<Guid, RetentionFacts>(_byId);
                foreach (var f in changed) next[f.Id] = f;
                _byId = next;
                _all = next.Values.ToList();
                var newest = changed.Max(f => f.LastModified);
                if (_highWater is null || newest > _highWater) _highWater = newest;
            }
            _highWater ??= started;
            _refreshedAt = started;
            return _all;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool Fresh() =>
        clock.GetUtcNow() - _refreshedAt < TimeSpan.FromMilliseconds(options.Value.CacheRefreshMilliseconds);
}

/// <summary>Loads the facts once at start-up, in the background, so the first analyst does not wait for it.</summary>
public sealed class RetentionCacheWarmer(RetentionFactsCache cache, ILogger<RetentionCacheWarmer> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var facts = await cache.AllAsync(stoppingToken);
            logger.LogInformation("Retention cache warmed with {Count} specialists", facts.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Retention cache could not be warmed; the first query will load it");
        }
    }
}

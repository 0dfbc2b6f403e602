using System.Collections.Concurrent;
using JasperFx.Events;
using JasperFx.Events.Aggregation;
using JasperFx.Events.Daemon;
using JasperFx.Events.Grouping;
using Marten;
using Marten.Events.Aggregation;
using Trajectories.Careers;

namespace Trajectories.Retention.Facts;

/// <summary>
/// Async: retention facts trail the writes by the daemon's polling interval, and staff commands do not pay for them.
/// Facts depend on a stream's whole history (late events, corrections), so for each daemon batch the histories of
/// the people it touches are read at once (EnrichEventsAsync), then each person's facts are computed once per batch.
/// The history comes from the inline Specialist document when it is at least as new as the batch's events, else from
/// the events themselves, so both projections can still be rebuilt at the same time.
/// </summary>
public partial class RetentionFactsProjection : SingleStreamProjection<RetentionFacts, Guid>
{
    private readonly ConcurrentDictionary<Guid, Specialist> _batch = new();

    /// <summary>
    /// The facts' shape, raised whenever RetentionFacts gains what old documents lack (2: check-in scores; 3: the last
    /// check-in and the certification's renewal, expiry and lapse; facts_shape checks it is raised). Marten
    /// treats a new version as a new projection (blue/green): a new progression and a new table
    /// (<see cref="Table"/>), which the daemon fills from the first event on upgrade without an operator's rebuild;
    /// readiness answers 503 until it has caught up. The old table and progression row are left, unread.
    /// </summary>
    public const uint Shape = 3;

    /// <summary>Where the facts are stored, for the few raw SQL reads (tests, the bench).</summary>
    public const string Table = "trajectories.mt_doc_retentionfacts_3";

    public RetentionFactsProjection()
    {
        // Bigger daemon pages: one stream query per page, fewer round trips in catch-up and rebuilds.
        Options.BatchSize = 5000;
        Version = Shape;
    }

    public override async Task EnrichEventsAsync(
        SliceGroup<RetentionFacts, Guid> group, IQuerySession querySession, CancellationToken cancellation)
    {
        var newest = group.Slices.GroupBy(s => s.Id).ToDictionary(g => g.Key,
            g => g.SelectMany(s => s.Events()).Select(e => e.Version).DefaultIfEmpty(0).Max());
        if (newest.Count == 0) return;
        // The inline Specialist document is the same fold, committed with the events: when it has come at least as far
        // as this batch's events it is used as it is (one document per person instead of every event again). Behind
        // them (the Specialist projection being rebuilt at the same time) the person's events are read instead.
        var behind = newest.Keys.ToHashSet();
        foreach (var doc in await querySession.LoadManyAsync<Specialist>(cancellation, newest.Keys))
            if (doc.Version >= newest[doc.Id] && Whole(doc))
            {
                _batch[doc.Id] = doc;
                behind.Remove(doc.Id);
            }
        if (behind.Count == 0) return;
        var events = await querySession.Events.QueryAllRawEvents()
            .Where(e => e.StreamId.IsOneOf(behind.ToArray()))
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellation);
        foreach (var stream in events.GroupBy(e => e.StreamId))
            if (Fold(stream.Key, stream) is { } specialist) _batch[stream.Key] = specialist;
    }

    public override async ValueTask<(RetentionFacts?, ActionType)> DetermineActionAsync(
        IQuerySession session, RetentionFacts? snapshot, Guid identity,
        IIdentitySetter<RetentionFacts, Guid> identitySetter, IReadOnlyList<IEvent> events,
        CancellationToken cancellation)
    {
        if (!events.Any(e => e.Data is CareerEvent)) return (snapshot, ActionType.Nothing);
        var specialist = _batch.TryRemove(identity, out var folded)
            ? folded
            : Fold(identity, await session.Events.FetchStreamAsync(identity, token: cancellation));
        var facts = specialist is null ? null : RetentionFacts.From(specialist);
        return facts is null ? (snapshot, ActionType.Nothing) : (facts, ActionType.Store);
    }

    /// <summary>
    /// The document holds the stream from its first event: not one an append created while the Specialist projection
    /// was being rebuilt (that starts from a later event and lacks the ones before).
    /// </summary>
    private static bool Whole(Specialist doc) =>
        doc.Entries.Count > 0 && doc.Entries[0].Version == 1 && doc.Entries[^1].Version == doc.Version;

    private static Specialist? Fold(Guid id, IEnumerable<IEvent> stream) =>
        SpecialistProjection.Apply(null, id, stream.OrderBy(e => e.Version));
}

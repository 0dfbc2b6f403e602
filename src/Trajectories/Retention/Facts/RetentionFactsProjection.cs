using System.Collections.Concurrent;
using JasperFx.Core;
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
/// Facts depend on a stream's whole history (late events, corrections), so for each daemon batch the full streams of
/// the people it touches are read in one query (EnrichEventsAsync) and folded here, then each person's facts are
/// computed once per batch. Reading the events, not the Specialist documents, keeps this projection independent of
/// the other: both can be rebuilt at the same time.
/// </summary>
public partial class RetentionFactsProjection : SingleStreamProjection<RetentionFacts, Guid>
{
    private readonly ConcurrentDictionary<Guid, Specialist> _batch = new();

    public RetentionFactsProjection()
    {
        // Bigger daemon pages: one stream query per page, fewer round trips in catch-up and rebuilds.
        Options.BatchSize = 5000;
    }

    public override async Task EnrichEventsAsync(SliceGroup<RetentionFacts, Guid> group, IQuerySession querySession, CancellationToken cancellation)
    {
        var ids = group.Slices.Select(s => s.Id).Distinct().ToArray();
        if (ids.Length == 0) return;
        var events = await querySession.Events.QueryAllRawEvents()
            .Where(e => e.StreamId.IsOneOf(ids))
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellation);
        foreach (var stream in events.GroupBy(e => e.StreamId))
            if (Fold(stream.Key, stream) is { } specialist) _batch[stream.Key] = specialist;
    }

    public override async ValueTask<(RetentionFacts?, ActionType)> DetermineActionAsync(IQuerySession session, RetentionFacts? snapshot, Guid identity,
        IIdentitySetter<RetentionFacts, Guid> identitySetter, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        if (!events.Any(e => e.Data is CareerEvent)) return (snapshot, ActionType.Nothing);
        var specialist = _batch.TryRemove(identity, out var folded)
            ? folded
            : Fold(identity, await session.Events.FetchStreamAsync(identity, token: cancellation));
        var facts = specialist is null ? null : RetentionFacts.From(specialist);
        return facts is null ? (snapshot, ActionType.Nothing) : (facts, ActionType.Store);
    }

    private static Specialist? Fold(Guid id, IEnumerable<IEvent> stream) =>
        SpecialistProjection.Apply(null, id, stream.OrderBy(e => e.Version));
}

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
/// Async: retention facts trail the writes by the daemon's polling interval, and staff commands do not pay for
/// them. The facts are recomputed from the Specialist snapshot (inline, so already holding these events and maybe
/// later ones): the result depends only on the stream's full history, so replays and rebuilds converge.
/// The snapshots of a whole daemon batch are loaded in one query (EnrichEventsAsync), then each stream's facts are
/// computed once per batch, not once per event.
/// </summary>
public partial class RetentionFactsProjection : SingleStreamProjection<RetentionFacts, Guid>
{
    private readonly ConcurrentDictionary<Guid, Specialist> _batch = new();

    public override async Task EnrichEventsAsync(SliceGroup<RetentionFacts, Guid> group, IQuerySession querySession, CancellationToken cancellation)
    {
        var ids = group.Slices.Select(s => s.Id).Distinct().ToArray();
        if (ids.Length == 0) return;
        foreach (var specialist in await querySession.LoadManyAsync<Specialist>(cancellation, ids))
            _batch[specialist.Id] = specialist;
    }

    public override async ValueTask<(RetentionFacts?, ActionType)> DetermineActionAsync(IQuerySession session, RetentionFacts? snapshot, Guid identity,
        IIdentitySetter<RetentionFacts, Guid> identitySetter, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        if (!events.Any(e => e.Data is CareerEvent)) return (snapshot, ActionType.Nothing);
        var specialist = _batch.TryRemove(identity, out var loaded) ? loaded : await session.LoadAsync<Specialist>(identity, cancellation);
        var facts = specialist is null ? null : RetentionFacts.From(specialist);
        return facts is null ? (snapshot, ActionType.Nothing) : (facts, ActionType.Store);
    }
}

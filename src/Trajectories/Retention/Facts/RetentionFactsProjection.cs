using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Trajectories.Careers;

namespace Trajectories.Retention.Facts;

/// <summary>
/// Async: retention facts trail the writes by the daemon's polling interval, and staff commands do not pay for
/// them. The facts are recomputed from the Specialist snapshot (inline, so already holding this event and maybe
/// later ones): the result only depends on the stream's full history, so replays and rebuilds converge.
/// </summary>
public partial class RetentionFactsProjection : SingleStreamProjection<RetentionFacts, Guid>
{
    public override async ValueTask<RetentionFacts?> EvolveAsync(RetentionFacts? snapshot, Guid id, IQuerySession session, IEvent e,
        CancellationToken cancellation)
    {
        if (e.Data is not CareerEvent) return snapshot;
        var specialist = await session.LoadAsync<Specialist>(id, cancellation);
        return specialist is null ? snapshot : RetentionFacts.From(specialist);
    }
}

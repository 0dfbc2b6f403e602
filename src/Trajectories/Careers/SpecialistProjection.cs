using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten.Events.Aggregation;

namespace Trajectories.Careers;

/// <summary>
/// Explicit code (Marten 8+) rather than conventional Apply methods: every event type is handled the same way, with its
/// metadata, and nothing depends on a source generator finding methods. A slice's events are added first and the
/// profile and status computed once per slice: a rebuild folds each stream once, not once per event.
/// Partial for Marten 9's generator.
/// </summary>
public partial class SpecialistProjection : SingleStreamProjection<Specialist, Guid>
{
    public SpecialistProjection()
    {
        // Events are small and streams short: bigger daemon pages mean fewer round trips in rebuilds.
        Options.BatchSize = 5000;
    }

    public override (Specialist?, ActionType) DetermineAction(Specialist? snapshot, Guid identity,
        IReadOnlyList<IEvent> events)
    {
        var specialist = Apply(snapshot, identity, events);
        return specialist is null ? (snapshot, ActionType.Nothing) : (specialist, ActionType.Store);
    }

    /// <summary>
    /// Adds recorded events to a specialist (creating it on the first) through <see cref="Specialist.Record"/>.
    /// </summary>
    public static Specialist? Apply(Specialist? snapshot, Guid id, IEnumerable<IEvent> events)
    {
        var entries = events.Where(e => e.Data is CareerEvent).Select(e => new CareerEntry(e.Id, e.Version, e.Timestamp,
            e.UserName, (CareerEvent)e.Data, RecordedHeaders.Of(e, RecordedHeaders.Role),
            RecordedHeaders.Of(e, RecordedHeaders.Channel), e.CorrelationId)).ToList();
        if (entries.Count == 0) return snapshot;
        return (snapshot ?? new Specialist { Id = id }).Record(entries);
    }
}

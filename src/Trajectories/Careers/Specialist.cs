using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten.Events.Aggregation;

namespace Trajectories.Careers;

/// <summary>
/// The specialist's stream folded into one document (an inline snapshot, so reads never replay the stream):
/// the profile from the (corrected) certification, the current status for list queries, and the whole recorded
/// history, from which status and tenure at any date are computed.
/// </summary>
public sealed class Specialist
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public string Name { get; set; } = "";
    public string State { get; set; } = "";
    public string Credential { get; set; } = "";
    public string CertificationNumber { get; set; } = "";
    public DateOnly CertifiedOn { get; set; }
    public string County { get; set; } = "";
    public bool Rural { get; set; }
    public bool Mhpsa { get; set; }
    public DateOnly? ObservationStart { get; set; }

    /// <summary>Status after every recorded event. Events are never dated in the future, so this is today's status.</summary>
    public string Status { get; set; } = Vocabulary.Status.SeekingPeerWork;

    public DateTimeOffset LastRecordedAt { get; set; }
    public List<CareerEntry> Entries { get; set; } = [];

    public CareerHistory History() => CareerHistory.From(Entries);
}

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

    public override (Specialist?, ActionType) DetermineAction(Specialist? snapshot, Guid identity, IReadOnlyList<IEvent> events)
    {
        var specialist = Apply(snapshot, identity, events);
        return specialist is null ? (snapshot, ActionType.Nothing) : (specialist, ActionType.Store);
    }

    /// <summary>Adds recorded events to a specialist (creating it on the first) and brings profile and status up to date.</summary>
    public static Specialist? Apply(Specialist? snapshot, Guid id, IEnumerable<IEvent> events)
    {
        var specialist = snapshot;
        foreach (var e in events)
        {
            if (e.Data is not CareerEvent careerEvent) continue;
            specialist ??= new Specialist { Id = id };
            specialist.Entries.Add(new CareerEntry(e.Id, e.Version, e.Timestamp, e.UserName, careerEvent,
                Access.Audit.Header(e, Access.Audit.RoleHeader), Access.Audit.Header(e, Access.Audit.ChannelHeader), e.CorrelationId));
            specialist.Version = e.Version;
            specialist.LastRecordedAt = e.Timestamp;
        }
        if (specialist is null) return null;

        var history = specialist.History();
        if (history.Certification is { } c)
        {
            specialist.Name = c.Name;
            specialist.State = c.State;
            specialist.Credential = c.Credential;
            specialist.CertificationNumber = Access.Erasure.DocumentNumber(c.CertificationNumber, id);
            specialist.CertifiedOn = c.CertifiedOn;
            specialist.County = c.County;
            specialist.Rural = c.Rural;
            specialist.Mhpsa = c.Mhpsa;
            specialist.ObservationStart = c.ObservationStart;
            specialist.Status = CareerState.At(history, history.Effective.Max(x => x.EffectiveOn)).Status;
        }
        return specialist;
    }
}

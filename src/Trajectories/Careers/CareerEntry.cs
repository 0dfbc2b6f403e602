namespace Trajectories.Careers;

/// <summary>
/// One recorded event of a stream with the metadata people ask about: when, by whom (key id or token subject), in
/// which role, through which channel (web, api, integration:&lt;source&gt;) and under which correlation id.
/// </summary>
public sealed record CareerEntry(
    Guid EventId, long Version, DateTimeOffset RecordedAt, string? RecordedBy, CareerEvent Event,
    string? Role = null, string? Channel = null, string? CorrelationId = null);

/// <summary>
/// An event as it stands after corrections: <see cref="Event"/> is the corrected content, <see cref="Recorded"/>
/// the entry as first recorded. Voided entries are kept for the timeline but take no part in state.
/// </summary>
public sealed record EffectiveEntry(CareerEntry Recorded, CareerEvent Event, IReadOnlyList<Guid> CorrectedBy,
    Guid? VoidedBy)
{
    public DateOnly EffectiveOn => Event.EffectiveOn;
    public bool IsVoided => VoidedBy is not null;
}

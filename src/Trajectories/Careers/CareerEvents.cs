using System.Text.Json.Serialization;

namespace Trajectories.Careers;

// Every event of a specialist's stream. Each carries its own effective date (when it happened), which is what
// status and tenure are computed from; when it was recorded comes from Marten's event metadata.
// The polymorphic attributes matter only where events are stored as CareerEvent (the Specialist document's
// history); Marten stores each event under its own type.
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(SpecialistCertified), "certified")]
[JsonDerivedType(typeof(CertificationRenewed), "certification-renewed")]
[JsonDerivedType(typeof(CertificationLapsed), "certification-lapsed")]
[JsonDerivedType(typeof(Hired), "hired")]
[JsonDerivedType(typeof(Promoted), "promoted")]
[JsonDerivedType(typeof(WageOrHoursChanged), "wage-or-hours-changed")]
[JsonDerivedType(typeof(Separated), "separated")]
[JsonDerivedType(typeof(DisabilityPauseStarted), "disability-pause-started")]
[JsonDerivedType(typeof(DisabilityPauseEnded), "disability-pause-ended")]
[JsonDerivedType(typeof(ReturnedToWork), "returned-to-work")]
[JsonDerivedType(typeof(CredentialEarned), "credential-earned")]
[JsonDerivedType(typeof(CheckedIn), "checked-in")]
[JsonDerivedType(typeof(LostToFollowUp), "lost-to-follow-up")]
[JsonDerivedType(typeof(EventCorrected), "event-corrected")]
[JsonDerivedType(typeof(EventVoided), "event-voided")]
public abstract record CareerEvent
{
    [JsonIgnore] public abstract DateOnly EffectiveOn { get; }
}

/// <summary>
/// Starts the stream. ObservationStart is set when follow-up began after certification (delayed entry).
/// </summary>
public sealed record SpecialistCertified(
    string Name, string State, string Credential, string CertificationNumber, DateOnly CertifiedOn,
    string County, bool Rural, bool Mhpsa, DateOnly? ObservationStart) : CareerEvent
{
    public override DateOnly EffectiveOn => CertifiedOn;
}

public sealed record CertificationRenewed(DateOnly RenewedOn, DateOnly? ExpiresOn) : CareerEvent
{
    public override DateOnly EffectiveOn => RenewedOn;
}

public sealed record CertificationLapsed(DateOnly LapsedOn) : CareerEvent
{
    public override DateOnly EffectiveOn => LapsedOn;
}

public sealed record Hired(
    Guid JobId, string Employer, string Title, string JobType, string? Tier,
    decimal HoursPerWeek, decimal HourlyWage, DateOnly StartedOn) : CareerEvent
{
    public override DateOnly EffectiveOn => StartedOn;
}

public sealed record Promoted(Guid JobId, string Tier, decimal? HourlyWage, DateOnly PromotedOn) : CareerEvent
{
    public override DateOnly EffectiveOn => PromotedOn;
}

/// <summary>Reason is free text such as "keeping under the SSDI earnings limit".</summary>
public sealed record WageOrHoursChanged(
    Guid JobId, decimal? HourlyWage, decimal? HoursPerWeek, string Reason, DateOnly ChangedOn) : CareerEvent
{
    public override DateOnly EffectiveOn => ChangedOn;
}

public sealed record Separated(Guid JobId, string Reason, bool Voluntary, DateOnly SeparatedOn,
    string? Note) : CareerEvent
{
    public override DateOnly EffectiveOn => SeparatedOn;
}

public sealed record DisabilityPauseStarted(string Reason, DateOnly StartedOn) : CareerEvent
{
    public override DateOnly EffectiveOn => StartedOn;
}

public sealed record DisabilityPauseEnded(DateOnly EndedOn) : CareerEvent
{
    public override DateOnly EffectiveOn => EndedOn;
}

/// <summary>Back at a held job after time away; closes a disability pause that is open on that date.</summary>
public sealed record ReturnedToWork(DateOnly ReturnedOn, Guid? JobId, string? Note) : CareerEvent
{
    public override DateOnly EffectiveOn => ReturnedOn;
}

public sealed record CredentialEarned(string Credential, DateOnly EarnedOn) : CareerEvent
{
    public override DateOnly EffectiveOn => EarnedOn;
}

/// <summary>A follow-up survey answer; burnout scores are Maslach Burnout Inventory subscale means (0-6).</summary>
public sealed record CheckedIn(
    DateOnly CheckedInOn, string ReportedStatus, decimal? Exhaustion, decimal? Cynicism,
    decimal? ProfessionalEfficacy) : CareerEvent
{
    public override DateOnly EffectiveOn => CheckedInOn;
}

/// <summary>Observation ends. A later-dated event (a hire, a check-in) means the person was found again.</summary>
public sealed record LostToFollowUp(DateOnly LostOn, string? Note) : CareerEvent
{
    public override DateOnly EffectiveOn => LostOn;
}

/// <summary>
/// Supersedes an earlier event: Changes holds the corrected fields by their JSON (camelCase) names.
/// Effective on the day it was recorded; it changes what the corrected event says, not when it happened.
/// </summary>
public sealed record EventCorrected(Guid EventId, Dictionary<string, System.Text.Json.JsonElement> Changes,
    string Reason, DateOnly CorrectedOn) : CareerEvent
{
    public override DateOnly EffectiveOn => CorrectedOn;
}

/// <summary>Declares an earlier event recorded in error. Nothing is deleted: the event stays, marked void.</summary>
public sealed record EventVoided(Guid EventId, string Reason, DateOnly VoidedOn) : CareerEvent
{
    public override DateOnly EffectiveOn => VoidedOn;
}

namespace Trajectories.Careers;

/// <summary>A job as it stands at a date: the hire with every promotion and wage or hours change up to then.</summary>
public sealed record JobState(
    Guid JobId, string Employer, string Title, string JobType, string? Tier, decimal HoursPerWeek, decimal HourlyWage,
    DateOnly StartedOn, DateOnly? EndedOn, string? SeparationReason)
{
    public bool IsPeer => JobType == "peer";

    /// <summary>
    /// Held on a date: started on or before it and not yet ended (the separation date is the first day not held).
    /// </summary>
    public bool HeldOn(DateOnly date) => StartedOn <= date && (EndedOn is null || date < EndedOn);

    /// <summary>
    /// Days from start to end, or to the as-of date while held: a date difference, so a pause does not stop it.
    /// </summary>
    public int TenureDays(DateOnly asOf) =>
        (EndedOn is { } end && end <= asOf ? end : asOf).DayNumber - StartedOn.DayNumber;
}

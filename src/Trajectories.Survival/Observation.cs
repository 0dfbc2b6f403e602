namespace Trajectories.Survival;

/// <summary>
/// One subject's follow-up on the analysis time scale (days from the origin). <see cref="Entry"/> is set for delayed
/// entry (left truncation): the subject is at risk only after it, in the counting-process sense (Entry, Exit].
/// Without it the subject is at risk from the origin, times 0 included, as with R's Surv(time, status).
/// </summary>
public readonly record struct Observation(double Exit, bool Event, double? Entry = null)
{
    /// <summary>
    /// At risk at t: not yet exited (a subject censored at t is still at risk at t) and already entered.
    /// </summary>
    public bool AtRiskAt(double t) => Exit >= t && (Entry is not { } entry || entry < t);
}

/// <summary>A subject's follow-up ending in one of several competing causes (Cause null when censored).</summary>
public readonly record struct CompetingObservation(double Exit, string? Cause, double? Entry = null)
{
    public Observation AnyCause => new(Exit, Cause is not null, Entry);
}

/// <summary>
/// How a 95% interval for S(t) is made from Greenwood's variance of log S: "log-log" (the default here, and
/// Kalbfleisch-Prentice's; stays inside [0, 1]) or "log" (R survfit's default; the upper limit is clipped at 1).
/// </summary>
public enum CiTransform
{
    LogLog,
    Log,
}

namespace Trajectories.Careers;

/// <summary>
/// The rules that depend on a stream's state, checked over the whole effective history. A new event is accepted
/// when the history with it still holds, so a late event that would break a later one (a separation dated before
/// a recorded promotion) is refused as well as one that is wrong on its own date. Each event is judged against the
/// <see cref="CareerFold"/> of the events before it, the same fold that status and the snapshot use.
/// The slips staff are stopped from adding (<see cref="Mistakes"/>) are judged apart, by <see cref="StaffChecks"/>.
/// </summary>
public static class CareerRules
{
    public static Rejection? Check(CareerHistory history)
    {
        var certification = history.Certification;
        if (certification is null)
            return Rejection.Conflict("not-certified", "A career stream starts with a certification.");

        // Hires anywhere in the history: a separation dated before its job's start is told apart from an unknown job.
        var starts = history.Effective.Select(e => e.Event).OfType<Hired>()
            .GroupBy(h => h.JobId).ToDictionary(g => g.Key, g => g.First().StartedOn);
        var fold = CareerFold.Start;
        foreach (var entry in history.Effective)
        {
            var e = entry.Event;
            var on = entry.EffectiveOn;
            var what = $"The {CareerJson.KindOf(e)} event on {on:yyyy-MM-dd}";
            if (e is not SpecialistCertified && on < certification.CertifiedOn)
                return Rejection.Conflict("before-certification",
                    $"{what} is before the certification on {certification.CertifiedOn:yyyy-MM-dd}.");
            if (Violation(fold, e, on, what, starts) is { } rejection) return rejection;
            fold = fold.Evolve(e);
        }
        return null;
    }

    /// <summary>Why an event cannot follow the state before it, or null when it can.</summary>
    private static Rejection? Violation(CareerFold before, CareerEvent e, DateOnly on, string what,
        Dictionary<Guid, DateOnly> starts) => e switch
    {
        Hired h when before.Jobs.ContainsKey(h.JobId) =>
            Rejection.Conflict("job-exists", $"Job {h.JobId} is already recorded.", "jobId"),
        Promoted p => NotHeld(before, p.JobId, on, what),
        WageOrHoursChanged w => NotHeld(before, w.JobId, on, what),
        Separated s => SeparationProblem(before, s, what, starts),
        DisabilityPauseStarted when before.Paused =>
            Rejection.Conflict("pause-already-open", $"{what} starts a pause while one is already open."),
        DisabilityPauseEnded when !before.Paused =>
            Rejection.Conflict("no-open-pause", $"{what} ends a disability pause, but none is open on that date."),
        ReturnedToWork { JobId: { } job } => NotHeld(before, job, on, what),
        ReturnedToWork when !before.HoldsAnyJobOn(on) => Rejection.Conflict("no-job-held",
            $"{what} is a return to work, but no job is held on that date; record a hire instead."),
        CertificationLapsed when before.Lapsed =>
            Rejection.Conflict("certification-already-lapsed", $"{what}: the certification has already lapsed."),
        LostToFollowUp when before.Lost =>
            Rejection.Conflict("already-lost-to-follow-up", $"{what}: the person is already lost to follow-up."),
        _ => null,
    };

    /// <summary>
    /// Every entry of a history that looks like a staff member's slip, with why: a promotion to the tier the job
    /// already has, and a return to work with no disability pause open (a return ends a pause; work after a
    /// separation is a hire). Keyed by the entry's event id and the rule, so a write can be judged by the slips it
    /// adds, not by those already recorded.
    /// </summary>
    public static IReadOnlyDictionary<(Guid EventId, string Rule), Rejection> Mistakes(CareerHistory history)
    {
        var found = new Dictionary<(Guid, string), Rejection>();
        var fold = CareerFold.Start;
        foreach (var entry in history.Effective)
        {
            var what = $"The {CareerJson.KindOf(entry.Event)} event on {entry.EffectiveOn:yyyy-MM-dd}";
            if (Mistake(fold, entry.Event, what) is { } mistake)
                found.TryAdd((entry.Recorded.EventId, mistake.Rule), mistake);
            fold = fold.Evolve(entry.Event);
        }
        return found;
    }

    private static Rejection? Mistake(CareerFold before, CareerEvent e, string what) => e switch
    {
        Promoted p when before.Jobs.TryGetValue(p.JobId, out var job) && job.Tier is { } tier
                        && string.Equals(tier, p.Tier, StringComparison.OrdinalIgnoreCase) =>
            Rejection.Conflict("same-tier", $"{what} is a promotion to {p.Tier}, the tier the job already has.",
                "tier"),
        ReturnedToWork when !before.Paused => Rejection.Conflict("no-open-pause",
            $"{what} is a return to work, but no disability pause is open on that date; "
            + "a return ends a pause (after a separation, record a hire).", "effectiveOn"),
        _ => null,
    };

    private static Rejection? SeparationProblem(CareerFold before, Separated s, string what,
        Dictionary<Guid, DateOnly> starts)
    {
        if (!before.Jobs.TryGetValue(s.JobId, out var job))
            return starts.TryGetValue(s.JobId, out var startedOn)
                ? Rejection.BadRequest("separation-before-start",
                    $"{what} is before the job started on {startedOn:yyyy-MM-dd}.", "effectiveOn")
                : Rejection.Conflict("job-not-held",
                    $"{what} names job {s.JobId}, which this person does not hold.", "jobId");
        return job.EndedOn is { } ended
            ? Rejection.Conflict("job-not-held", $"Job {s.JobId} already ended on {ended:yyyy-MM-dd}.", "jobId")
            : null;
    }

    private static Rejection? NotHeld(CareerFold before, Guid jobId, DateOnly on, string what)
    {
        if (before.Jobs.TryGetValue(jobId, out var job) && job.HeldOn(on)) return null;
        var detail = job is null
            ? $"{what} names job {jobId}, which this person does not hold."
            : $"{what} names job {jobId}, which is not held on that date "
              + $"(held {job.StartedOn:yyyy-MM-dd} to {job.EndedOn?.ToString("yyyy-MM-dd") ?? "now"}).";
        return Rejection.Conflict("job-not-held", detail, "jobId");
    }
}

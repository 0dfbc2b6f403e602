namespace Trajectories.Careers;

/// <summary>
/// The rules that depend on a stream's state, checked over the whole effective history. A new event is accepted
/// when the history with it still holds, so a late event that would break a later one (a separation dated before
/// a recorded promotion) is refused as well as one that is wrong on its own date.
/// </summary>
public static class CareerRules
{
    public static Rejection? Check(CareerHistory history)
    {
        var certification = history.Certification;
        if (certification is null)
            return Rejection.Conflict("not-certified", "A career stream starts with a certification.");

        var jobs = new Dictionary<Guid, JobState>();
        // Hires anywhere in the history: a separation dated before its job's start is told apart from an unknown job.
        var starts = history.Effective.Select(e => e.Event).OfType<Hired>()
            .GroupBy(h => h.JobId).ToDictionary(g => g.Key, g => g.First().StartedOn);
        bool paused = false, lost = false, lapsed = false;

        foreach (var entry in history.Effective)
        {
            var e = entry.Event;
            var on = entry.EffectiveOn;
            var what = $"the {CareerJson.KindOf(e)} event on {on:yyyy-MM-dd}";
            if (e is SpecialistCertified) continue;
            if (on < certification.CertifiedOn)
                return Rejection.Conflict("before-certification",
                    $"{Cap(what)} is before the certification on {certification.CertifiedOn:yyyy-MM-dd}.");
            if (e is not LostToFollowUp) lost = false;

            switch (e)
            {
                case Hired h:
                    if (jobs.ContainsKey(h.JobId))
                        return Rejection.Conflict("job-exists", $"Job {h.JobId} is already recorded.", "jobId");
                    jobs[h.JobId] = new JobState(h.JobId, h.Employer, h.Title, h.JobType, h.Tier, h.HoursPerWeek, h.HourlyWage, h.StartedOn, null, null);
                    break;
                case Promoted p:
                    if (NotHeld(jobs, p.JobId, on) is { } promoteProblem) return promoteProblem(what);
                    break;
                case WageOrHoursChanged w:
                    if (NotHeld(jobs, w.JobId, on) is { } changeProblem) return changeProblem(what);
                    break;
                case Separated s:
                    if (!jobs.TryGetValue(s.JobId, out var job) && starts.TryGetValue(s.JobId, out var startedOn))
                        return Rejection.BadRequest("separation-before-start",
                            $"{Cap(what)} is before the job started on {startedOn:yyyy-MM-dd}.", "effectiveOn");
                    if (job is null)
                        return Rejection.Conflict("job-not-held", $"{Cap(what)} names job {s.JobId}, which this person does not hold.", "jobId");
                    if (job.EndedOn is { } ended)
                        return Rejection.Conflict("job-not-held", $"Job {s.JobId} already ended on {ended:yyyy-MM-dd}.", "jobId");
                    jobs[s.JobId] = job with { EndedOn = on };
                    break;
                case DisabilityPauseStarted:
                    if (paused)
                        return Rejection.Conflict("pause-already-open", $"{Cap(what)} starts a pause while one is already open.");
                    paused = true;
                    break;
                case DisabilityPauseEnded:
                    if (!paused)
                        return Rejection.Conflict("no-open-pause", $"{Cap(what)} ends a disability pause, but none is open on that date.");
                    paused = false;
                    break;
                case ReturnedToWork r:
                    if (r.JobId is { } returnJob)
                    {
                        if (NotHeld(jobs, returnJob, on) is { } returnProblem) return returnProblem(what);
                    }
                    else if (!jobs.Values.Any(j => j.HeldOn(on)))
                        return Rejection.Conflict("no-job-held",
                            $"{Cap(what)} is a return to work, but no job is held on that date; record a hire instead.");
                    paused = false;
                    break;
                case CertificationLapsed:
                    if (lapsed)
                        return Rejection.Conflict("certification-already-lapsed", $"{Cap(what)}: the certification has already lapsed.");
                    lapsed = true;
                    break;
                case CertificationRenewed:
                    lapsed = false;
                    break;
                case LostToFollowUp:
                    if (lost)
                        return Rejection.Conflict("already-lost-to-follow-up", $"{Cap(what)}: the person is already lost to follow-up.");
                    lost = true;
                    break;
            }
        }
        return null;
    }

    private static Func<string, Rejection>? NotHeld(Dictionary<Guid, JobState> jobs, Guid jobId, DateOnly on)
    {
        if (jobs.TryGetValue(jobId, out var job) && job.HeldOn(on)) return null;
        return what => Rejection.Conflict("job-not-held",
            job is null
                ? $"{Cap(what)} names job {jobId}, which this person does not hold."
                : $"{Cap(what)} names job {jobId}, which is not held on that date (held {job.StartedOn:yyyy-MM-dd} to {(job.EndedOn is { } end ? end.ToString("yyyy-MM-dd") : "now")}).",
            "jobId");
    }

    private static string Cap(string s) => char.ToUpperInvariant(s[0]) + s[1..];
}

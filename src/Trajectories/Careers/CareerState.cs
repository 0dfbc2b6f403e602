namespace Trajectories.Careers;

/// <summary>A job as it stands at a date: the hire with every promotion and wage or hours change up to then.</summary>
public sealed record JobState(
    Guid JobId, string Employer, string Title, string JobType, string? Tier, decimal HoursPerWeek, decimal HourlyWage,
    DateOnly StartedOn, DateOnly? EndedOn, string? SeparationReason)
{
    public bool IsPeer => JobType == "peer";

    /// <summary>Held on a date: started on or before it and not yet ended (the separation date is the first day not held).</summary>
    public bool HeldOn(DateOnly date) => StartedOn <= date && (EndedOn is null || date < EndedOn);

    /// <summary>Days from start to end, or to the as-of date while held: a date difference, so a pause does not stop it.</summary>
    public int TenureDays(DateOnly asOf) => (EndedOn is { } end && end <= asOf ? end : asOf).DayNumber - StartedOn.DayNumber;
}

/// <summary>Where a person stands on a date, folded from the effective history up to and including that date.</summary>
public sealed record CareerState(
    DateOnly AsOf, string Status, IReadOnlyList<JobState> Jobs, IReadOnlyList<JobState> CurrentJobs,
    bool Paused, bool Lost, bool CertificationHasLapsed, IReadOnlyList<string> Credentials,
    int? CurrentJobDays, int PeerWorkDays, int SinceCertificationDays)
{
    public static CareerState At(CareerHistory history, DateOnly asOf)
    {
        var certification = history.Certification
            ?? throw new InvalidOperationException("A career history starts with a certification.");

        var jobs = new Dictionary<Guid, JobState>();
        var order = new List<Guid>();
        bool paused = false, lost = false, lapsed = false;
        var credentials = new List<string>();

        foreach (var entry in history.Effective.TakeWhile(e => e.EffectiveOn <= asOf))
        {
            var e = entry.Event;
            // Observation ends at lost-to-follow-up; any later event means the person was found again.
            if (e is not LostToFollowUp) lost = false;
            switch (e)
            {
                case Hired h:
                    jobs[h.JobId] = new JobState(h.JobId, h.Employer, h.Title, h.JobType, h.Tier, h.HoursPerWeek,
                        h.HourlyWage, h.StartedOn, null, null);
                    order.Add(h.JobId);
                    break;
                case Promoted p when jobs.TryGetValue(p.JobId, out var job):
                    jobs[p.JobId] = job with { Tier = p.Tier, HourlyWage = p.HourlyWage ?? job.HourlyWage };
                    break;
                case WageOrHoursChanged w when jobs.TryGetValue(w.JobId, out var job):
                    jobs[w.JobId] = job with
                    {
                        HourlyWage = w.HourlyWage ?? job.HourlyWage, HoursPerWeek = w.HoursPerWeek ?? job.HoursPerWeek,
                    };
                    break;
                case Separated s when jobs.TryGetValue(s.JobId, out var job):
                    jobs[s.JobId] = job with { EndedOn = s.SeparatedOn, SeparationReason = s.Reason };
                    break;
                case DisabilityPauseStarted:
                    paused = true;
                    break;
                case DisabilityPauseEnded or ReturnedToWork:
                    paused = false;
                    break;
                case CertificationLapsed:
                    lapsed = true;
                    break;
                case CertificationRenewed:
                    lapsed = false;
                    break;
                case CredentialEarned c:
                    credentials.Add(c.Credential);
                    break;
                case LostToFollowUp:
                    lost = true;
                    break;
            }
        }

        var all = order.Select(id => jobs[id]).ToList();
        var current = all.Where(j => j.HeldOn(asOf)).ToList();
        var status = lost ? Vocabulary.Status.LostToFollowUp
            : paused ? Vocabulary.Status.Paused
            : current.Any(j => j.IsPeer) ? Vocabulary.Status.EmployedPeer
            : current.Count > 0 ? Vocabulary.Status.EmployedOther
            : all.Count > 0 ? Vocabulary.Status.NotEmployed
            : Vocabulary.Status.SeekingPeerWork;

        return new CareerState(asOf, status, all, current, paused, lost, lapsed, credentials,
            current.Count > 0 ? current.Max(j => j.TenureDays(asOf)) : null,
            CountPeerWorkDays(all, asOf),
            asOf.DayNumber - certification.CertifiedOn.DayNumber);
    }

    /// <summary>Each calendar day covered by at least one peer job counts once (overlapping peer jobs are merged).</summary>
    private static int CountPeerWorkDays(IEnumerable<JobState> jobs, DateOnly asOf)
    {
        var spans = jobs.Where(j => j.IsPeer && j.StartedOn < asOf)
            .Select(j => (Start: j.StartedOn.DayNumber, End: Math.Min((j.EndedOn ?? asOf).DayNumber, asOf.DayNumber)))
            .Where(s => s.End > s.Start)
            .OrderBy(s => s.Start);
        int days = 0, coveredTo = int.MinValue;
        foreach (var (start, end) in spans)
        {
            var from = Math.Max(start, coveredTo);
            if (end > from) days += end - from;
            coveredTo = Math.Max(coveredTo, end);
        }
        return days;
    }
}

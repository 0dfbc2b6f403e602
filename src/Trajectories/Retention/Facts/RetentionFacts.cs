using Trajectories.Careers;

namespace Trajectories.Retention.Facts;

/// <summary>
/// A job as retention sees it: its span, how it ended, and its terms at the start and after each change.
/// </summary>
public sealed record JobFacts(
    Guid JobId, string JobType, DateOnly Start, DateOnly? End, string? Reason, bool? Voluntary,
    string? TierAtStart, bool FullTimeAtStart, IReadOnlyList<JobTerms> Terms)
{
    public bool HeldOn(DateOnly date) => Start <= date && (End is null || date < End);

    /// <summary>The terms in force on a date (the last change on or before it).</summary>
    public JobTerms TermsOn(DateOnly date) => Terms.LastOrDefault(t => t.On <= date) ?? Terms[0];
}

public sealed record JobTerms(DateOnly On, string? Tier, decimal HourlyWage, decimal HoursPerWeek)
{
    public bool FullTime => HoursPerWeek >= Vocabulary.FullTimeHours;
}

/// <summary>
/// A peer-work spell: a maximal period in which the person holds at least one peer job. A disability pause does not
/// end it; the spell ends the day the last peer job ends, for that job's separation reason.
/// </summary>
public sealed record PeerSpell(
    DateOnly Start, DateOnly? End, string? Reason, string? TierAtStart, bool FullTimeAtStart);

public sealed record StatusChange(DateOnly On, string Status);

/// <summary>A check-in's burnout scores (Maslach Burnout Inventory subscale means, 0-6), any of them blank.</summary>
public sealed record CheckInScores(DateOnly On, decimal? Exhaustion, decimal? Cynicism, decimal? ProfessionalEfficacy);

/// <summary>
/// Per specialist, everything the retention measures read (origins, exits, reasons, group attributes, all by
/// effective date), kept by an async projection so queries never replay streams.
/// </summary>
public sealed class RetentionFacts
{
    public Guid Id { get; set; }
    public string State { get; set; } = "";
    public string Credential { get; set; } = "";
    public int Cohort { get; set; }
    public DateOnly CertifiedOn { get; set; }
    /// <summary>When follow-up began, if after certification (delayed entry).</summary>
    public DateOnly? ObservationStart { get; set; }
    public bool Rural { get; set; }
    public bool Mhpsa { get; set; }
    public List<JobFacts> Jobs { get; set; } = [];
    public List<PeerSpell> PeerSpells { get; set; } = [];
    /// <summary>Status from each date on; the first entry is the certification date.</summary>
    public List<StatusChange> Statuses { get; set; } = [];
    /// <summary>Check-ins with at least one burnout score, by date.</summary>
    public List<CheckInScores> CheckIns { get; set; } = [];
    /// <summary>The last check-in of any kind (staff's work list: who has not been heard from).</summary>
    public DateOnly? LastCheckInOn { get; set; }
    /// <summary>The expiry the last renewal gave, if any (else the work list counts from the renewal).</summary>
    public DateOnly? CertificationExpiresOn { get; set; }
    public DateOnly CertificationRenewedOn { get; set; }
    /// <summary>When the certification lapsed, if it is lapsed now (no renewal since).</summary>
    public DateOnly? CertificationLapsedOn { get; set; }

    /// <summary>Marten's mt_last_modified, mapped: the cache reads what changed since its last read.</summary>
    public DateTimeOffset LastModified { get; set; }

    public string StatusOn(DateOnly date)
    {
        // Statuses are in date order; a plain loop, since queries call this for every person at several dates.
        var status = Vocabulary.Status.SeekingPeerWork;
        foreach (var s in Statuses)
        {
            if (s.On > date) break;
            status = s.Status;
        }
        return status;
    }

    /// <summary>
    /// Where follow-up ends as seen on a date: the start of a lost-to-follow-up period still open on that date
    /// (someone found again before it is followed through), else the date itself.
    /// </summary>
    public DateOnly FollowedUntil(DateOnly asOf)
    {
        DateOnly? lostSince = null;
        foreach (var s in Statuses.TakeWhile(s => s.On <= asOf))
            lostSince = s.Status == Vocabulary.Status.LostToFollowUp ? lostSince ?? s.On : null;
        return lostSince ?? asOf;
    }

    public DateOnly? FirstPeerHire => Jobs.Where(j => j.JobType == "peer").Select(j => (DateOnly?)j.Start).Min();

    public static RetentionFacts? From(Specialist specialist)
    {
        var history = specialist.History();
        if (history.Certification is not { } c) return null;
        var effective = history.Effective.ToList();
        var last = effective.Max(e => e.EffectiveOn);
        var final = CareerState.At(history, last);

        var jobs = final.Jobs.Select(j =>
        {
            var hired = effective.Select(e => e.Event).OfType<Hired>().First(h => h.JobId == j.JobId);
            var separated = effective.Select(e => e.Event).OfType<Separated>().FirstOrDefault(s => s.JobId == j.JobId);
            var terms = effective
                .Where(e => e.Event is Promoted p && p.JobId == j.JobId
                    || e.Event is WageOrHoursChanged w && w.JobId == j.JobId)
                .Select(e => e.EffectiveOn).Prepend(hired.StartedOn).Distinct().Order()
                .Select(d => (On: d, Job: CareerState.At(history, d).Jobs.First(x => x.JobId == j.JobId)))
                .Select(x => new JobTerms(x.On, x.Job.Tier, x.Job.HourlyWage, x.Job.HoursPerWeek))
                .ToList();
            return new JobFacts(j.JobId, j.JobType, j.StartedOn, j.EndedOn, j.SeparationReason, separated?.Voluntary,
                hired.Tier, hired.HoursPerWeek >= Vocabulary.FullTimeHours, terms);
        }).ToList();

        var statuses = new List<StatusChange>();
        foreach (var date in effective.Select(e => e.EffectiveOn).Distinct().Order())
        {
            var status = CareerState.At(history, date).Status;
            if (statuses.Count == 0 || statuses[^1].Status != status) statuses.Add(new StatusChange(date, status));
        }

        var certificationEvents = effective.Where(e => e.Event is CertificationRenewed or CertificationLapsed)
            .OrderBy(e => e.EffectiveOn).ToList();
        var renewed = certificationEvents.Select(e => e.Event).OfType<CertificationRenewed>().LastOrDefault();
        var lastLapse = certificationEvents.LastOrDefault()?.Event as CertificationLapsed;
        return new RetentionFacts
        {
            LastCheckInOn = effective.Select(e => e.Event).OfType<CheckedIn>().Select(x => (DateOnly?)x.CheckedInOn)
                .Max(),
            CertificationRenewedOn = renewed?.RenewedOn ?? c.CertifiedOn,
            CertificationExpiresOn = renewed?.ExpiresOn,
            CertificationLapsedOn = lastLapse?.LapsedOn,
            Id = specialist.Id, State = c.State, Credential = c.Credential, Cohort = c.CertifiedOn.Year,
            CertifiedOn = c.CertifiedOn,
            ObservationStart = c.ObservationStart > c.CertifiedOn ? c.ObservationStart : null,
            Rural = c.Rural, Mhpsa = c.Mhpsa,
            Jobs = jobs, PeerSpells = Spells(jobs), Statuses = statuses,
            CheckIns = effective.Select(e => e.Event).OfType<CheckedIn>()
                .Where(x => x.Exhaustion is not null || x.Cynicism is not null || x.ProfessionalEfficacy is not null)
                .Select(x => new CheckInScores(x.CheckedInOn, x.Exhaustion, x.Cynicism, x.ProfessionalEfficacy))
                .OrderBy(x => x.On).ToList(),
        };
    }

    /// <summary>Peer jobs merged into spells of continuous peer work (touching or overlapping jobs join).</summary>
    private static List<PeerSpell> Spells(IEnumerable<JobFacts> jobs)
    {
        var spells = new List<PeerSpell>();
        foreach (var job in jobs.Where(j => j.JobType == "peer").OrderBy(j => j.Start))
        {
            if (spells.Count > 0 && spells[^1] is { } open && (open.End is null || job.Start <= open.End))
            {
                // Extends the open spell; the spell's end and reason become those of whichever job ends last.
                var extends = open.End is not null && (job.End is null || job.End >= open.End);
                spells[^1] = extends ? open with { End = job.End, Reason = job.Reason } : open;
                continue;
            }
            spells.Add(new PeerSpell(job.Start, job.End, job.Reason, job.TierAtStart, job.FullTimeAtStart));
        }
        return spells;
    }
}

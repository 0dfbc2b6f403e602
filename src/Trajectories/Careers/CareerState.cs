namespace Trajectories.Careers;

/// <summary>
/// Where a person stands on a date: the <see cref="CareerFold"/> of the effective history up to that date.
/// </summary>
public sealed record CareerState(
    DateOnly AsOf, string Status, IReadOnlyList<JobState> Jobs, IReadOnlyList<JobState> CurrentJobs,
    bool Paused, bool Lost, bool CertificationHasLapsed, IReadOnlyList<string> Credentials,
    int? CurrentJobDays, int PeerWorkDays, int SinceCertificationDays)
{
    public static CareerState At(CareerHistory history, DateOnly asOf)
    {
        var certification = history.Certification
            ?? throw new InvalidOperationException("A career history starts with a certification.");

        var fold = history.Effective.TakeWhile(e => e.EffectiveOn <= asOf)
            .Aggregate(CareerFold.Start, (state, entry) => state.Evolve(entry.Event));
        var all = fold.JobsInOrder.ToList();
        var current = all.Where(j => j.HeldOn(asOf)).ToList();
        var status = fold.Lost ? Vocabulary.Status.LostToFollowUp
            : fold.Paused ? Vocabulary.Status.Paused
            : current.Any(j => j.IsPeer) ? Vocabulary.Status.EmployedPeer
            : current.Count > 0 ? Vocabulary.Status.EmployedOther
            : all.Count > 0 ? Vocabulary.Status.NotEmployed
            : Vocabulary.Status.SeekingPeerWork;

        return new CareerState(asOf, status, all, current, fold.Paused, fold.Lost, fold.Lapsed, fold.Credentials,
            current.Count > 0 ? current.Max(j => j.TenureDays(asOf)) : null,
            CountPeerWorkDays(all, asOf),
            asOf.DayNumber - certification.CertifiedOn.DayNumber);
    }

    /// <summary>
    /// Each calendar day covered by at least one peer job counts once (overlapping peer jobs are merged).
    /// </summary>
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

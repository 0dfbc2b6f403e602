using System.Collections.Immutable;

namespace Trajectories.Careers;

/// <summary>
/// The one fold of a career: where a person stands after each effective event, in effective order. Status as of a
/// date (<see cref="CareerState.At"/>), the rules (<see cref="CareerRules.Check"/>) and the Specialist snapshot
/// are all built on <see cref="Evolve"/>, so the state machine (jobs, pause, lost, lapsed) is written once.
/// Immutable: the rules keep the state before an event while they judge it.
/// </summary>
public sealed record CareerFold(
    ImmutableDictionary<Guid, JobState> Jobs, ImmutableList<Guid> JobOrder, bool Paused, bool Lost, bool Lapsed,
    ImmutableList<string> Credentials)
{
    public static readonly CareerFold Start =
        new(ImmutableDictionary<Guid, JobState>.Empty, [], false, false, false, []);

    /// <summary>Every job in the order it was hired.</summary>
    public IEnumerable<JobState> JobsInOrder => JobOrder.Select(id => Jobs[id]);

    public bool HoldsAnyJobOn(DateOnly date) => Jobs.Values.Any(j => j.HeldOn(date));

    public CareerFold Evolve(CareerEvent e)
    {
        // Observation ends at lost-to-follow-up; any later event means the person was found again.
        var next = e is LostToFollowUp || !Lost ? this : this with { Lost = false };
        return e switch
        {
            Hired h => next with
            {
                Jobs = next.Jobs.SetItem(h.JobId, new JobState(h.JobId, h.Employer, h.Title, h.JobType, h.Tier,
                    h.HoursPerWeek, h.HourlyWage, h.StartedOn, null, null)),
                JobOrder = next.Jobs.ContainsKey(h.JobId) ? next.JobOrder : next.JobOrder.Add(h.JobId),
            },
            Promoted p => next.Change(p.JobId, j =>
                j with { Tier = p.Tier, HourlyWage = p.HourlyWage ?? j.HourlyWage }),
            WageOrHoursChanged w => next.Change(w.JobId, j => j with
            {
                HourlyWage = w.HourlyWage ?? j.HourlyWage, HoursPerWeek = w.HoursPerWeek ?? j.HoursPerWeek,
            }),
            Separated s => next.Change(s.JobId, j => j with { EndedOn = s.SeparatedOn, SeparationReason = s.Reason }),
            DisabilityPauseStarted => next with { Paused = true },
            DisabilityPauseEnded or ReturnedToWork => next with { Paused = false },
            CertificationLapsed => next with { Lapsed = true },
            CertificationRenewed => next with { Lapsed = false },
            CredentialEarned c => next with { Credentials = next.Credentials.Add(c.Credential) },
            LostToFollowUp => next with { Lost = true },
            _ => next,
        };
    }

    /// <summary>
    /// A change to a job the fold does not know is left out (the rules refuse it before it is recorded).
    /// </summary>
    private CareerFold Change(Guid jobId, Func<JobState, JobState> change) =>
        Jobs.TryGetValue(jobId, out var job) ? this with { Jobs = Jobs.SetItem(jobId, change(job)) } : this;
}

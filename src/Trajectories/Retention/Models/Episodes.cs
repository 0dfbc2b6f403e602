using Trajectories.Careers;
using Trajectories.Retention.Facts;

namespace Trajectories.Retention.Models;

/// <summary>
/// Time-varying covariates (issue 17, ADR 16): a spell or job split into (start, stop] episodes at every change of
/// the terms it is measured with (a promotion, an hours change), each episode carrying the tier, full time and
/// "promoted since the start" in force on it, as R's <c>coxph(Surv(start, stop, event) ~ ...)</c> takes them. Only
/// the last episode can end in the event. The hourly wage in force rides along (a wage change is a change of terms).
/// A change on day c ends the episode (…, c] with the old terms (an exit on
/// day c happened under them) and starts (c, …] with the new. Delayed entry cuts the episodes before follow-up began.
/// In a peer-work spell the terms are those of the earliest-hired peer job held that day (the rule at the start,
/// ADR 7), and the spell is split where peer jobs start and end as well. Promoted: a tier higher on the ladder than
/// the one at the start (off-ladder tiers are never a promotion); once promoted, promoted for the rest of the spell.
/// </summary>
public static class Episodes
{
    /// <summary>Each spell (or job) of the person as its list of episodes, in time order.</summary>
    public static IEnumerable<IReadOnlyList<Spell>> For(
        Measure measure, RetentionFacts f, DateOnly asOf, CareerLadder ladder, Func<Guid, uint>? recordKey = null)
    {
        uint KeyOf(Guid id) => recordKey?.Invoke(id) ?? 0;
        if (f.CertifiedOn > asOf) yield break;
        var until = f.FollowedUntil(asOf);
        var person = Spells.PersonAttributes(f);
        switch (measure)
        {
            case Measure.PeerWork:
                if (f.PeerSpells.FirstOrDefault() is not { } spell || spell.Start > until) yield break;
                var whole = Spells.Make(spell.Start, spell.End, spell.Reason, until, f.ObservationStart,
                    Spells.SpellStart(person, spell, f.Jobs));
                if (whole is null) yield break;
                var jobs = f.Jobs.Select((j, i) => (Job: j, Order: i)).Where(x => x.Job.JobType == "peer"
                    && x.Job.Start < spell.Start.AddDays((int)whole.Observation.Exit + 1)
                    && (x.Job.End is null || x.Job.End > spell.Start)).ToList();
                JobTerms? TermsOn(DateOnly d) => jobs.Where(x => x.Job.HeldOn(d))
                    .OrderBy(x => x.Job.Start).ThenBy(x => x.Order).Select(x => x.Job.TermsOn(d)).FirstOrDefault();
                var changes = jobs.SelectMany(x => x.Job.Terms.Select(t => t.On)
                    .Append(x.Job.Start).Concat(x.Job.End is { } e ? [e] : []));
                var key = KeyOf(f.Id);
                yield return Split(whole, spell.Start, changes, TermsOn, ladder).Select(x => x with { Key = key })
                    .ToList();
                break;
            case Measure.Job:
                foreach (var job in f.Jobs.Where(j => j.Start <= until))
                {
                    if (Spells.Make(job.Start, job.End, job.Reason, until, f.ObservationStart,
                            Spells.JobStart(person, job)) is not { } one) continue;
                    var jobKey = KeyOf(job.JobId);
                    yield return Split(one, job.Start, job.Terms.Select(t => t.On), job.TermsOn, ladder)
                        .Select(x => x with { Key = jobKey }).ToList();
                }
                break;
            default:
                throw new ArgumentException("time-varying covariates apply to peer work and jobs", nameof(measure));
        }
    }

    private static IEnumerable<Spell> Split(Spell whole, DateOnly origin, IEnumerable<DateOnly> changes,
        Func<DateOnly, JobTerms?> termsOn, CareerLadder ladder)
    {
        var o = whole.Observation;
        var cuts = changes.Select(d => (double)(d.DayNumber - origin.DayNumber)).Where(c => c > 0 && c < o.Exit)
            .Distinct().Order().Append(o.Exit).ToList();
        var startRank = Rank(whole.Attributes.Tier, ladder);
        var promoted = false;
        double lo = 0;
        foreach (var hi in cuts)
        {
            // The terms in force on the episode (lo, hi]: those of its first day after lo.
            var terms = termsOn(origin.AddDays((int)lo + (lo == 0 ? 0 : 1)));
            var tier = terms is null ? whole.Attributes.Tier : RetentionQuery.TierOrNone(terms.Tier);
            promoted |= startRank >= 0 && Rank(tier, ladder) > startRank;
            var entry = o.Entry is { } e ? Math.Max(lo, e) : lo;
            if (hi > entry)
            {
                var last = hi == o.Exit;
                yield return whole with
                {
                    Observation = new Survival.Observation(hi, last && o.Event, entry > 0 ? entry : null),
                    Cause = last ? whole.Cause : null,
                    Attributes = whole.Attributes with
                    {
                        Tier = tier,
                        FullTime = terms is null ? whole.Attributes.FullTime : RetentionQuery.Flag(terms.FullTime),
                        Wage = terms is null ? whole.Attributes.Wage : (double)terms.HourlyWage,
                        Promoted = RetentionQuery.Flag(promoted),
                    },
                };
            }
            lo = hi;
        }
    }

    private static int Rank(string? tier, CareerLadder ladder) =>
        tier is null ? -1 : ladder.Tiers.ToList().IndexOf(ladder.Find(tier) ?? "");
}

using Trajectories.Retention.Facts;
using Trajectories.Survival;

namespace Trajectories.Retention;

/// <summary>One spell on the analysis time scale, with the group attributes it is filtered and grouped by.</summary>
public sealed record Spell(Observation Observation, string? Cause, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// Turns retention facts into spells for a measure as seen on a date: events effective after it do not count, and
/// anyone still in is censored at it, or at the start of a lost-to-follow-up period still open then.
/// Days are counted from the origin; delayed entry where follow-up began after the origin.
/// </summary>
public static class Spells
{
    public static IEnumerable<Spell> For(Measure measure, RetentionFacts f, DateOnly asOf)
    {
        if (f.CertifiedOn > asOf) yield break;
        var until = f.FollowedUntil(asOf);
        var person = new Dictionary<string, string>
        {
            ["state"] = f.State, ["cohort"] = f.Cohort.ToString(), ["credential"] = f.Credential,
            ["rural"] = RetentionQuery.Flag(f.Rural), ["mhpsa"] = RetentionQuery.Flag(f.Mhpsa),
        };

        switch (measure)
        {
            case Measure.FirstPeerJob:
                if (Make(f.CertifiedOn, f.FirstPeerHire, null, until, f.ObservationStart, person) is { } first) yield return first;
                break;
            case Measure.PeerWork:
                if (f.PeerSpells.FirstOrDefault() is { } spell && spell.Start <= until
                    && Make(spell.Start, spell.End, spell.Reason, until, f.ObservationStart,
                        With(person, ("tier", RetentionQuery.TierOrNone(spell.TierAtStart)), ("fullTime", RetentionQuery.Flag(spell.FullTimeAtStart)))) is { } peer)
                    yield return peer;
                break;
            case Measure.Job:
                foreach (var job in f.Jobs.Where(j => j.Start <= until))
                    if (Make(job.Start, job.End, job.Reason, until, f.ObservationStart,
                            With(person, ("jobType", job.JobType), ("tier", RetentionQuery.TierOrNone(job.TierAtStart)), ("fullTime", RetentionQuery.Flag(job.FullTimeAtStart)))) is { } j)
                        yield return j;
                break;
        }
    }

    private static Spell? Make(DateOnly origin, DateOnly? end, string? reason, DateOnly until, DateOnly? observedFrom,
        IReadOnlyDictionary<string, string> attributes)
    {
        if (until < origin) return null;
        var happened = end is { } e && e <= until;
        var exit = (happened ? end!.Value : until).DayNumber - origin.DayNumber;
        double? entry = observedFrom is { } o && o > origin ? o.DayNumber - origin.DayNumber : null;
        // Ended before follow-up began: never observed at risk, so not part of the sample (left truncation).
        if (entry is { } start && exit <= start) return null;
        return new Spell(new Observation(exit, happened, entry), happened ? reason ?? "other" : null, attributes);
    }

    private static Dictionary<string, string> With(Dictionary<string, string> person, params (string Key, string Value)[] extra)
    {
        var all = new Dictionary<string, string>(person);
        foreach (var (k, v) in extra) all[k] = v;
        return all;
    }

    public static bool Matches(Spell spell, IReadOnlyDictionary<string, string> filters) =>
        filters.All(f => spell.Attributes.TryGetValue(f.Key, out var v) && string.Equals(v, f.Value, StringComparison.OrdinalIgnoreCase));
}

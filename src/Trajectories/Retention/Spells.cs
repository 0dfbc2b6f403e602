using Trajectories.Retention.Facts;
using Trajectories.Survival;

namespace Trajectories.Retention;

/// <summary>
/// The group attributes of a spell: the person's, and the job's or spell's at its start (null where they do not
/// apply).
/// </summary>
/// <param name="Promoted">In a time-varying episode (Models/Episodes.cs): whether promoted since the start.</param>
/// <param name="HireYear">The year the spell or job started (trends by hire year); none for a first peer job.</param>
/// <param name="Wage">The hourly wage in force (at the start, or on a time-varying episode): a model's continuous
/// covariate, never a grouping.</param>
public readonly record struct SpellAttributes(
    string State, string Cohort, string Credential, string Rural, string Mhpsa, string? JobType = null,
    string? Tier = null, string? FullTime = null, string? Promoted = null, string? HireYear = null,
    double? Wage = null)
{
    public string? this[string key] => key switch
    {
        "state" => State, "cohort" => Cohort, "credential" => Credential, "rural" => Rural, "mhpsa" => Mhpsa,
        "jobType" => JobType, "tier" => Tier, "fullTime" => FullTime, "promoted" => Promoted,
        "hireYear" => HireYear, _ => null,
    };
}

/// <summary>
/// One spell on the analysis time scale, with the group attributes it is filtered and grouped by, and the record key
/// of who it is about (the person; the job for the per-job measure) for the cell key method (Disclosure/).
/// </summary>
public sealed record Spell(Observation Observation, string? Cause, SpellAttributes Attributes, uint Key = 0);

/// <summary>
/// Turns retention facts into spells for a measure as seen on a date: events effective after it do not count, and
/// anyone still in is censored at it, or at the start of a lost-to-follow-up period still open then.
/// Days are counted from the origin; delayed entry where follow-up began after the origin.
/// </summary>
public static class Spells
{
    public static IEnumerable<Spell> For(
        Measure measure, RetentionFacts f, DateOnly asOf, Func<Guid, uint>? recordKey = null)
    {
        uint KeyOf(Guid id) => recordKey?.Invoke(id) ?? 0;
        if (f.CertifiedOn > asOf) yield break;
        var until = f.FollowedUntil(asOf);
        var person = PersonAttributes(f);

        switch (measure)
        {
            case Measure.FirstPeerJob:
                if (Make(f.CertifiedOn, f.FirstPeerHire, null, until, f.ObservationStart, person) is { } first)
                    yield return first with { Key = KeyOf(f.Id) };
                break;
            case Measure.PeerWork:
                if (f.PeerSpells.FirstOrDefault() is { } spell && spell.Start <= until
                    && Make(spell.Start, spell.End, spell.Reason, until, f.ObservationStart,
                        SpellStart(person, spell, f.Jobs)) is { } peer)
                    yield return peer with { Key = KeyOf(f.Id) };
                break;
            case Measure.Job:
                foreach (var job in f.Jobs.Where(j => j.Start <= until))
                    if (Make(job.Start, job.End, job.Reason, until, f.ObservationStart, JobStart(person, job)) is
                        { } j)
                        yield return j with { Key = KeyOf(job.JobId) };
                break;
        }
    }

    /// <summary>What describes the person, in every measure.</summary>
    public static SpellAttributes PersonAttributes(RetentionFacts f) => new(f.State, Cohorts.Name(f.Cohort),
        f.Credential, RetentionQuery.Flag(f.Rural), RetentionQuery.Flag(f.Mhpsa));

    /// <summary>
    /// A peer-work spell's attributes at its start; the wage is that of the earliest-hired peer job held that day
    /// (whose tier and hours the spell starts with, ADR 7).
    /// </summary>
    public static SpellAttributes SpellStart(SpellAttributes person, PeerSpell spell, IEnumerable<JobFacts> jobs) =>
        person with
        {
            Tier = RetentionQuery.TierOrNone(spell.TierAtStart),
            FullTime = RetentionQuery.Flag(spell.FullTimeAtStart), HireYear = Cohorts.Name(spell.Start.Year),
            Wage = jobs.Where(j => j.JobType == "peer" && j.HeldOn(spell.Start)).OrderBy(j => j.Start)
                .Select(j => (double?)(double)j.TermsOn(spell.Start).HourlyWage).FirstOrDefault(),
        };

    /// <summary>A job's attributes at its start.</summary>
    public static SpellAttributes JobStart(SpellAttributes person, JobFacts job) => person with
    {
        JobType = job.JobType, Tier = RetentionQuery.TierOrNone(job.TierAtStart),
        FullTime = RetentionQuery.Flag(job.FullTimeAtStart), HireYear = Cohorts.Name(job.Start.Year),
        Wage = (double)job.Terms[0].HourlyWage,
    };

    public static Spell? Make(DateOnly origin, DateOnly? end, string? reason, DateOnly until, DateOnly? observedFrom,
        SpellAttributes attributes)
    {
        if (until < origin) return null;
        var happened = end is { } e && e <= until;
        var exit = (happened ? end!.Value : until).DayNumber - origin.DayNumber;
        double? entry = observedFrom is { } o && o > origin ? o.DayNumber - origin.DayNumber : null;
        // Ended before follow-up began: never observed at risk, so not part of the sample (left truncation).
        if (entry is { } start && exit <= start) return null;
        return new Spell(new Observation(exit, happened, entry), happened ? reason ?? "other" : null, attributes);
    }

    public static bool Matches(Spell spell, IReadOnlyDictionary<string, string> filters)
    {
        // Called for every spell of every query: no enumerator or closure when there is nothing to match.
        if (filters.Count == 0) return true;
        foreach (var (key, value) in filters)
            if (spell.Attributes[key] is not { } v || !string.Equals(v, value, StringComparison.OrdinalIgnoreCase))
                return false;
        return true;
    }
}

/// <summary>Cohort years as strings, made once (a query touches every person).</summary>
public static class Cohorts
{
    private static readonly string[] Names = Enumerable.Range(1990, 80)
        .Select(y => y.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    public static string Name(int year) => year is >= 1990 and < 2070
        ? Names[year - 1990]
        : year.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

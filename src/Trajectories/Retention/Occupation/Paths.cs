using Trajectories.Retention.Facts;
using Trajectories.Retention.Querying;
using Trajectories.Survival;

namespace Trajectories.Retention.Occupation;

/// <summary>A person's path through the occupation states, with what it is grouped by and its record key.</summary>
public sealed record OccupationPath(RetentionFacts Person, IReadOnlyList<StateEpisode> Episodes, uint Key);

/// <summary>
/// Where a person is, from certification on: the states are the cohort grid's categories (in peer work, in other
/// work only, not employed, paused, lost to follow-up; ADR 7), a person's state on a day being the category of their
/// status that day. Time is days since certification; follow-up starts at certification, or where it began later
/// (delayed entry), and ends at the as-of date, censored. Lost to follow-up is a state, not the end of follow-up:
/// someone found again moves back out of it (the survival measures stop at it instead, since their event might have
/// happened unseen). A status change on the day follow-up starts is the starting state (R's rows need stop > start).
/// </summary>
public static class Paths
{
    public static readonly IReadOnlyList<string> States = GetCohortsEndpoint.Categories;

    public static OccupationPath? For(RetentionFacts f, DateOnly asOf, int subject, uint key = 0)
    {
        var start = f.ObservationStart is { } s && s > f.CertifiedOn ? s : f.CertifiedOn;
        if (start >= asOf) return null;
        double Day(DateOnly d) => d.DayNumber - f.CertifiedOn.DayNumber;
        var episodes = new List<StateEpisode>();
        var from = StateOn(f, start);
        var since = start;
        foreach (var change in f.Statuses)
        {
            if (change.On <= start) continue;
            if (change.On > asOf) break;
            var to = Index(GetCohortsEndpoint.Category(change.Status));
            if (to == from) continue;
            episodes.Add(new StateEpisode(subject, Day(since), Day(change.On), from, to));
            from = to;
            since = change.On;
        }
        // A move on the as-of day itself leaves no time in the new state before follow-up ends.
        if (since < asOf) episodes.Add(new StateEpisode(subject, Day(since), Day(asOf), from, null));
        return new OccupationPath(f, episodes, key);
    }

    private static int StateOn(RetentionFacts f, DateOnly date) =>
        Index(GetCohortsEndpoint.Category(f.StatusOn(date)));

    private static int Index(string category) => GetCohortsEndpoint.Categories.AsSpan().IndexOf(category);
}

using Trajectories.Careers;

namespace Trajectories.Retention.Disclosure;

/// <summary>
/// Which groups an analyst's grouped answer lists: every value the grouping can take, members or not. Listing only
/// the groups that have members made "absent" mean exactly zero, and with a filter narrow enough to hold one person,
/// moving the as-of date told when that person was certified, hired and left (issue 16, second attack). The values
/// are the vocabulary's, and for free-valued keys (cohort years, states) those present among everyone in the caller's
/// scope, filters aside; an ungrouped answer always has its one group. A group with no members is listed hidden,
/// as a small one is.
/// </summary>
public static class GroupKeys
{
    public static IReadOnlyList<string> For(
        RetentionQuery query, IEnumerable<Spell> inScope, CareerLadder ladder, Func<string, bool>? listable = null)
    {
        if (query.GroupBy is not { } key) return ["all"];
        IEnumerable<string> vocabulary = key switch
        {
            "credential" => Vocabulary.Credentials,
            "jobType" => Vocabulary.JobTypes,
            "rural" or "mhpsa" or "fullTime" => ["false", "true"],
            "tier" => [.. ladder.Tiers, RetentionQuery.TierOrNone(null)],
            _ => [],
        };
        var present = inScope.Select(s => SurvivalReports.GroupKey(s, key))
            .Select(k => listable is null || listable(k) ? k : SurvivalReports.OtherHidden);
        return vocabulary.Concat(present).Distinct().Order(StringComparer.Ordinal).ToList();
    }
}

using Trajectories.Careers;

namespace Trajectories.Retention.Disclosure;

/// <summary>
/// Which groups an analyst's grouped answer lists: every value the grouping can take, members or not. Listing only
/// the groups that have members made "absent" mean exactly zero, and with a filter narrow enough to hold one person,
/// moving the as-of date told when that person was certified, hired and left (issue 16, second and third attacks).
/// The values are the vocabulary's, and for states and cohort years those of everyone in the caller's scope, at any
/// date and in any measure (so a year does not appear with its first hire); an ungrouped answer always has its one
/// group. A group with no members is listed hidden, as a small one is.
/// </summary>
public static class GroupKeys
{
    public static IReadOnlyList<string> For(
        RetentionQuery query, Facts.FactsTable everyone, CareerLadder ladder, Func<string, bool>? listable = null)
    {
        if (query.GroupBy is not { } key) return ["all"];
        IEnumerable<string> values = key switch
        {
            "credential" => Vocabulary.Credentials,
            "jobType" => Vocabulary.JobTypes,
            "rural" or "mhpsa" or "fullTime" => ["false", "true"],
            "tier" => listable is null
                ? [.. ladder.Tiers, RetentionQuery.TierOrNone(null)]
                : [.. ladder.Tiers, RetentionQuery.TierOrNone(null), SurvivalReports.OtherHidden],
            "state" => everyone.States(query.Scope),
            "cohort" => everyone.CohortYears(query).Select(Cohorts.Name),
            // Every year from the scope's first certification on: a year listed with its first hire would date it.
            "hireYear" => everyone.CohortYears(query.Scope).DefaultIfEmpty(query.AsOf.Year).Min() is var first
                ? Enumerable.Range(first, Math.Max(0, query.AsOf.Year - first + 1)).Select(Cohorts.Name)
                : [],
            _ => [],
        };
        return values.Distinct().Order(StringComparer.Ordinal).ToList();
    }
}

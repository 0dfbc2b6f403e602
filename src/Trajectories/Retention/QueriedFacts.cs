using Trajectories.Retention.Facts;

namespace Trajectories.Retention;

/// <summary>The facts a query needs, from the caller's view, narrowed by the person-level filters.</summary>
public static class QueriedFacts
{
    public static IReadOnlyList<RetentionFacts> From(FactsView view, RetentionQuery query)
    {
        var all = view.All;
        query.Filters.TryGetValue("state", out var state);
        int? cohort = query.Filters.TryGetValue("cohort", out var c) && int.TryParse(c, out var year) ? year : null;
        return all.Where(f => f.CertifiedOn <= query.AsOf && (state is null || f.State == state)
            && (cohort is null || f.Cohort == cohort)).ToList();
    }
}

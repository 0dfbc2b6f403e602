using Marten;
using Trajectories.Retention.Facts;

namespace Trajectories.Retention;

/// <summary>Reads the facts a query needs; person-level filters narrow the read in the database.</summary>
public static class RetentionStore
{
    public static async Task<IReadOnlyList<RetentionFacts>> LoadAsync(IQuerySession session, RetentionQuery query, CancellationToken ct)
    {
        IQueryable<RetentionFacts> facts = session.Query<RetentionFacts>();
        if (query.Filters.TryGetValue("state", out var state)) facts = facts.Where(f => f.State == state);
        if (query.Filters.TryGetValue("cohort", out var cohort) && int.TryParse(cohort, out var year)) facts = facts.Where(f => f.Cohort == year);
        var asOf = query.AsOf;
        facts = facts.Where(f => f.CertifiedOn <= asOf);
        return await facts.ToListAsync(ct);
    }
}

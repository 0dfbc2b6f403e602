using Trajectories.Retention.Disclosure;
using Trajectories.Retention.Facts;

namespace Trajectories.Retention.Querying;

/// <summary>
/// The cohort grid for analysts (ADR 14): a cohort's size, and at each mark the people observed there and the people
/// in each category, are protected cells of their own; shares are a category's protected count over the protected
/// number observed (so they need not add up to exactly one, and a hidden category cannot be worked out from the
/// others). Counts under the minimum are not shown, nor their shares.
/// </summary>
public static class ProtectedCohorts
{
    /// <param name="years">
    /// The cohort rows to list, members or not (the years anyone in the caller's scope was certified in, or the one
    /// year filtered on): a row appearing only when it has members told a narrow filter's people apart.
    /// </param>
    public static CohortGrid Build(RetentionQuery query, IReadOnlyList<RetentionFacts> facts, PerturbationTable table,
        Func<Guid, uint> keyOf, IEnumerable<int> years) => Build(query, new FactsTable(facts, keyOf), table, years);

    public static CohortGrid Build(
        RetentionQuery query, FactsTable facts, PerturbationTable table, IEnumerable<int> years)
    {
        var categories = GetCohortsEndpoint.Categories;
        var marks = FactsTable.MarkMonths.Length;
        var last = query.AsOf.DayNumber;
        var byYear = facts.Select(query).ToLookup(i => facts.Cohort[i]);
        var rows = years.Distinct().Order().Select(year => (Key: year, Members: byYear[year].ToList())).Select(g =>
        {
            var members = g.Members;
            var size = table.Protect(members.Count, CellKey.Of(members.Select(i => facts.Key[i])));
            var cells = SurvivalReports.Months.Select((m, k) =>
            {
                var counts = new int[categories.Length];
                var cellKeys = new uint[categories.Length];
                int observed = 0;
                uint observedKey = 0;
                foreach (var i in members)
                {
                    var day = facts.MarkDay[i * marks + k];
                    if (day > last || day < facts.ObservedFrom[i]) continue;
                    var c = GetCohortsEndpoint.CategoryOfStatus[facts.MarkStatus[i * marks + k]];
                    var key = facts.Key[i];
                    counts[c]++;
                    cellKeys[c] = unchecked(cellKeys[c] + key);
                    observed++;
                    observedKey = unchecked(observedKey + key);
                }
                var on = new DateOnly(g.Key, 12, 31).AddMonths(m);
                var seen = table.Protect(observed, observedKey);
                // "Not yet" only where no one of the year can have reached the mark: whether this group's people
                // have would say when they were certified.
                var notYet = new DateOnly(g.Key, 1, 1).AddMonths(m) > query.AsOf;
                if (notYet || table.Show(seen) is null)
                    return new CohortCell(m, on, notYet ? 0 : null, !notYet,
                        categories.ToDictionary(c => c, _ => (int?)null),
                        categories.ToDictionary(c => c, _ => (double?)null));
                var shown = counts.Select((n, i) => table.Show(table.Protect(n, cellKeys[i]))).ToArray();
                return new CohortCell(m, on, seen, false,
                    categories.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => shown[x.i]),
                    categories.Select((c, i) => (c, i)).ToDictionary(x => x.c,
                        x => shown[x.i] is { } n ? Math.Round(Math.Min(1, (double)n / seen), 4) : (double?)null));
            }).ToList();
            var hidden = table.Show(size) is null;
            var cohort = g.Key;
            return new CohortRow(cohort.ToString(), hidden ? null : size, hidden,
                hidden ? cells.Select(c => c with
                {
                    Suppressed = c.Observed != 0, Observed = c.Observed == 0 ? 0 : null,
                    Counts = categories.ToDictionary(k => k, _ => (int?)null),
                    Shares = categories.ToDictionary(k => k, _ => (double?)null),
                }).ToList() : cells);
        }).ToList();
        return new CohortGrid(query.AsOf, table.MinCellSize, categories, rows)
        {
            Protection = Protection.CellKey(table),
        };
    }
}

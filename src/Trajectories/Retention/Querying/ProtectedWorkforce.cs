using System.Globalization;
using Trajectories.Careers;
using Trajectories.Retention.Disclosure;
using Trajectories.Retention.Facts;

namespace Trajectories.Retention.Querying;

/// <summary>
/// The workforce summary for analysts (ADR 14): every count a protected cell (people by status on a date, peer-job
/// separations in the period and by reason, peer jobs held by tier, jobs by type and how many of them full-time), and
/// every derived figure from protected counts: the average peer headcount from the protected month-end counts, the
/// turnover rate from those and the protected separations, full-time shares from protected counts. A median wage is
/// shown from 30 jobs (protected), to the nearest 50 cents.
/// </summary>
public static class ProtectedWorkforce
{
    public const int MinJobsForMedian = 30;

    /// <summary>A count and its cell key, added up contributor by contributor.</summary>
    private sealed class Cell
    {
        public int Count;
        public uint Key;
        public void Add(uint key) { Count++; Key = unchecked(Key + key); }
        public int Protected(PerturbationTable table) => table.Protect(Count, Key);
        public static Cell Of((int Count, uint Key) counted) => new() { Count = counted.Count, Key = counted.Key };
    }

    public static WorkforceSummary Build(RetentionQuery query, DateOnly from, FactsTable facts,
        PerturbationTable table, CareerLadder ladder)
    {
        var asOf = query.AsOf;
        var monthEnds = GetWorkforceSummaryEndpoint.MonthEnds(from, asOf);
        var counts = WorkforceCounts.Count(facts, facts.Select(query), monthEnds, from, asOf);
        var statuses = Vocabulary.Status.All;
        var byStatus = monthEnds.Select((_, m) => statuses.Select((s, i) => (s, i))
            .ToDictionary(x => x.s, x => Cell.Of(counts.Status(m, x.i)))).ToList();
        var inPeerWork = monthEnds.Select((_, m) => Cell.Of(counts.InPeerWork(m))).ToList();
        var separations = Cell.Of(counts.Separations);
        var reasons = Vocabulary.SeparationReasons.Select((r, i) => (r, i))
            .ToDictionary(x => x.r, x => Cell.Of(counts.Reason(x.i)));
        var tiers = ladder.Tiers.Append(RetentionQuery.TierOrNone(null)).ToDictionary(t => t, _ => new Cell());
        var jobs = Vocabulary.JobTypes.ToDictionary(t => t, _ => new Cell());
        var fullTime = Vocabulary.JobTypes.ToDictionary(t => t, _ => new Cell());
        var wages = Vocabulary.JobTypes.ToDictionary(t => t, _ => new List<decimal>());
        foreach (var j in counts.HeldJobs)
        {
            if (facts.JobType[j] < 0) continue;
            var type = Vocabulary.JobTypes[facts.JobType[j]];
            var jobKey = facts.JobKey[j];
            var terms = facts.TermsOn(j, asOf.DayNumber);
            jobs[type].Add(jobKey);
            wages[type].Add(facts.TermWage[terms]);
            if (facts.TermFullTime[terms]) fullTime[type].Add(jobKey);
            if (facts.JobType[j] == FactsTable.Peer)
            {
                var tier = RetentionQuery.TierOrNone(facts.TermTier[terms]);
                if (!tiers.TryGetValue(tier, out var t)) tiers[tier] = t = new Cell();
                t.Add(jobKey);
            }
        }

        // Each month end is its own row of cells (ADR 14): rows with the same people are still two cells.
        var rows = monthEnds.Select(table.ForRow).ToList();
        IReadOnlyDictionary<string, int?> Shown(Dictionary<string, Cell> cells, PerturbationTable t) =>
            cells.ToDictionary(kv => kv.Key, kv => t.Show(kv.Value.Protected(t)));
        var peerHeadcounts = inPeerWork.Select((c, m) => c.Protected(rows[m])).ToList();
        var average = peerHeadcounts.Count == 0 ? 0 : peerHeadcounts.Average();
        var leavers = table.Show(separations.Protected(table));
        return new WorkforceSummary(asOf, from, table.MinCellSize,
            Shown(byStatus[^1], rows[^1]),
            leavers,
            Shown(reasons, table),
            // A mean of protected counts: shown when the counts it averages are (the month-end headcounts).
            peerHeadcounts.All(c => table.Show(c) is not null) ? Math.Round(average, 2) : null,
            average > 0 && leavers is { } l && peerHeadcounts.All(c => table.Show(c) is not null)
                ? Math.Round(l / average, 4) : null,
            Shown(tiers, table),
            Vocabulary.JobTypes
                .Select(t => Wages(t, jobs[t].Protected(table), fullTime[t].Protected(table), wages[t], table))
                .ToList(),
            monthEnds.Select((d, m) => new MonthView(
                d.ToString("yyyy-MM", CultureInfo.InvariantCulture), d, Shown(byStatus[m], rows[m]))).ToList())
        {
            Protection = Protection.CellKey(table),
        };
    }

    private static WageView Wages(
        string jobType, int jobs, int fullTime, List<decimal> wages, PerturbationTable table)
    {
        if (table.Show(jobs) is null) return new WageView(jobType, null, true, null, null);
        // The median of a few wages is one person's wage (or says the count is even): shown from 30 jobs, to the
        // nearest 50 cents, so it is neither.
        decimal? median = null;
        if (jobs >= MinJobsForMedian && wages.Count > 0)
        {
            wages.Sort();
            var exact = wages.Count % 2 == 1
                ? wages[wages.Count / 2]
                : (wages[wages.Count / 2 - 1] + wages[wages.Count / 2]) / 2;
            median = Math.Round(exact * 2, MidpointRounding.AwayFromZero) / 2;
        }
        // A share is hidden with its count: share x jobs would give back a full-time count under the minimum.
        return new WageView(jobType, jobs, false, median,
            table.Show(fullTime) is null ? null : Math.Round(Math.Min(1, (double)fullTime / jobs), 4));
    }
}

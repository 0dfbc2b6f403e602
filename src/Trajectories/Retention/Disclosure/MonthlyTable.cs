using Trajectories.Survival;

namespace Trajectories.Retention.Disclosure;

/// <summary>A group's life table by month, its counts protected (or exact, for checking).</summary>
public sealed record MonthlyLifeTable(int N, int Events, int Censored, IReadOnlyList<CountRow> Rows);

/// <summary>
/// Spells grouped into months (month k ends on day floor(k × 365.25 / 12); exits on day 0 are month 0) and counted as
/// cumulative cells: people entered by month k, events by month k, censored by month k. Each cumulative cell is
/// protected by its own cell key, so a month's events (the difference of two cells) carry the noise of two
/// independent perturbations and no one's exit can be read off a step, while the curve's error does not add up month
/// by month: it is the error of a few cumulative counts. The at-risk count of month k is entered by k less exited
/// before k; delayed entry counts from the month follow-up began in (from the next month when it began on a month's
/// last day, as the counting-process rule entry &lt; t says).
/// </summary>
public static class MonthlyTable
{
    public static int Day(int month) => SurvivalReports.Days(month);

    /// <summary>The month a day falls in: the first k with Day(k) ≥ day.</summary>
    public static int Month(double day)
    {
        if (day <= 0) return 0;
        var k = (int)Math.Ceiling(day * 12 / 365.25);
        while (k > 0 && Day(k - 1) >= day) k--;
        while (Day(k) < day) k++;
        return k;
    }

    /// <summary>
    /// The members ever at risk (indices in the table), with their entry and exit months, and the last month. Read
    /// from the table's columns (observations, keys, causes), not the spell objects: in exit order the objects are
    /// visited out of their order in memory, and at 100,000 spells that walk was most of an analyst's curve.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(
        System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static (int[] Spells, int[] Entry, int[] Exit, int Last) Months(SpellTable table, int[] members)
    {
        // Never at risk (follow-up began at or after the exit): no part of the sample, as in Kaplan-Meier.
        var spells = members.Where(i => table.Observations[i].Entry is not { } e || e < table.Observations[i].Exit)
            .ToArray();
        var entry = new int[spells.Length];
        var exit = new int[spells.Length];
        var last = 0;
        for (var i = 0; i < spells.Length; i++)
        {
            var o = table.Observations[spells[i]];
            entry[i] = o.Entry is { } e && e > 0 ? (Day(Month(e)) == e ? Month(e) + 1 : Month(e)) : 0;
            exit[i] = Math.Max(Month(o.Exit), entry[i]);
            last = Math.Max(last, exit[i]);
        }
        return (spells, entry, exit, last);
    }

    /// <summary>The cell of everyone, as any other table counting these spells shows it.</summary>
    private static int Everyone(SpellTable table, int[] spells, PerturbationTable? protect) => protect is null
        ? spells.Length
        : protect.Protect(spells.Length, CellKey.Of(spells.Select(i => table.Key[i])));

    /// <summary>
    /// The competing-risks form: events by cause by month, each cause's cumulative count its own cell, so the
    /// incidences and the share still in add up from the same protected counts. Leavers by cause and those still in
    /// at the end are the last month's cells.
    /// </summary>
    public static (int N, IReadOnlyList<CompetingRow> Rows, IReadOnlyDictionary<string, int> Leavers, int StillIn)
        BuildByCause(IReadOnlyList<Spell> all, IReadOnlyList<string> causes, PerturbationTable? protect) =>
        BuildByCause(new SpellTable(all), Enumerable.Range(0, all.Count).ToArray(), causes, protect);

    public static (int N, IReadOnlyList<CompetingRow> Rows, IReadOnlyDictionary<string, int> Leavers, int StillIn)
        BuildByCause(SpellTable table, int[] members, IReadOnlyList<string> causes, PerturbationTable? protect)
    {
        var (spells, entry, exit, last) = Months(table, members);
        if (spells.Length == 0) return (0, [], causes.ToDictionary(c => c, _ => 0), 0);
        var entered = new CumulativeCells(last + 1);
        var censored = new CumulativeCells(last + 1);
        var byCause = causes.ToDictionary(c => c, _ => new CumulativeCells(last + 1));
        // Where a leaver is counted, per cause code: under the cause, else under "other", else as censored.
        CumulativeCells? Target(string? cause) =>
            byCause.TryGetValue(cause ?? "other", out var c) || byCause.TryGetValue("other", out c) ? c : null;
        var targets = table.CauseNames.Select(Target).ToArray();
        var uncaused = Target(null);
        for (var i = 0; i < spells.Length; i++)
        {
            var (s, key) = (spells[i], table.Key[spells[i]]);
            entered.Add(entry[i], key);
            var target = !table.Observations[s].Event ? null
                : table.Cause[s] >= 0 ? targets[table.Cause[s]] : uncaused;
            (target ?? censored).Add(exit[i], key);
        }
        var inBy = entered.Cumulative(protect);
        var censoredBy = censored.Cumulative(protect);
        var causeBy = byCause.ToDictionary(kv => kv.Key, kv => kv.Value.Cumulative(protect));
        var rows = new List<CompetingRow>(last + 1);
        for (var k = 0; k <= last; k++)
        {
            var exitedBefore = k == 0 ? 0 : censoredBy[k - 1] + causeBy.Values.Sum(c => c[k - 1]);
            rows.Add(new CompetingRow(Day(k), Math.Max(0, inBy[k] - exitedBefore),
                causeBy.ToDictionary(kv => kv.Key, kv => kv.Value[k] - (k == 0 ? 0 : kv.Value[k - 1])),
                censoredBy[k] - (k == 0 ? 0 : censoredBy[k - 1])));
        }
        return (Everyone(table, spells, protect), rows, causeBy.ToDictionary(kv => kv.Key, kv => kv.Value[last]),
            censoredBy[last]);
    }

    /// <param name="protect">The release's perturbation table, or null for the exact table.</param>
    public static MonthlyLifeTable Build(IReadOnlyList<Spell> all, PerturbationTable? protect) =>
        Build(new SpellTable(all), Enumerable.Range(0, all.Count).ToArray(), protect);

    /// <param name="protect">The release's perturbation table, or null for the exact table.</param>
    public static MonthlyLifeTable Build(SpellTable table, int[] members, PerturbationTable? protect)
    {
        var (spells, entry, exit, last) = Months(table, members);
        if (spells.Length == 0) return new(0, 0, 0, []);
        var entered = new CumulativeCells(last + 1);
        var events = new CumulativeCells(last + 1);
        var censored = new CumulativeCells(last + 1);
        for (var i = 0; i < spells.Length; i++)
        {
            var key = table.Key[spells[i]];
            entered.Add(entry[i], key);
            (table.Observations[spells[i]].Event ? events : censored).Add(exit[i], key);
        }
        var inBy = entered.Cumulative(protect);
        var eventsBy = events.Cumulative(protect);
        var censoredBy = censored.Cumulative(protect);
        var n = Everyone(table, spells, protect);
        var rows = new List<CountRow>(last + 1);
        for (var k = 0; k <= last; k++)
        {
            var exitedBefore = k == 0 ? 0 : eventsBy[k - 1] + censoredBy[k - 1];
            rows.Add(new CountRow(Day(k), Math.Max(0, inBy[k] - exitedBefore),
                eventsBy[k] - (k == 0 ? 0 : eventsBy[k - 1]), censoredBy[k] - (k == 0 ? 0 : censoredBy[k - 1])));
        }
        return new MonthlyLifeTable(n, eventsBy[last], censoredBy[last], rows);
    }
}

namespace Trajectories.Retention;

/// <summary>
/// Counting over every person on all cores: each core tallies its own slice into its own counters, which are then
/// added up. Queries over 100,000 people spend their time walking memory, which splits cleanly.
/// </summary>
public static class Tally
{
    public static int[] Count<T>(IReadOnlyList<T> items, int counters, Action<T, int[]> count)
    {
        var parts = Math.Clamp(Environment.ProcessorCount, 1, Math.Max(1, items.Count / 2000));
        var partial = new int[parts][];
        Parallel.For(0, parts, p =>
        {
            // Contiguous slices: each core walks its own stretch of the list.
            var local = new int[counters];
            var end = (int)((long)items.Count * (p + 1) / parts);
            for (var i = (int)((long)items.Count * p / parts); i < end; i++) count(items[i], local);
            partial[p] = local;
        });
        var total = new int[counters];
        foreach (var local in partial)
            for (var c = 0; c < counters; c++) total[c] += local[c];
        return total;
    }
}

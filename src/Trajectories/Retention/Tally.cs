using System.Runtime.CompilerServices;

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
        Parallel.For(0, parts, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p) =>
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

    /// <summary>
    /// Counts with cell keys (ADR 14): each counter also sums, modulo 2^32, the record keys of what it counted. Both
    /// sums split across cores like the counts, since the order of adding does not matter.
    /// </summary>
    public static (int[] Counts, uint[] Keys) CountKeyed<T>(
        IReadOnlyList<T> items, int counters, Action<T, int[], uint[]> count)
    {
        var parts = Math.Clamp(Environment.ProcessorCount, 1, Math.Max(1, items.Count / 2000));
        var partial = new (int[] Counts, uint[] Keys)[parts];
        Parallel.For(0, parts, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p) =>
        {
            var counts = new int[counters];
            var keys = new uint[counters];
            var end = (int)((long)items.Count * (p + 1) / parts);
            for (var i = (int)((long)items.Count * p / parts); i < end; i++) count(items[i], counts, keys);
            partial[p] = (counts, keys);
        });
        var total = new int[counters];
        var totalKeys = new uint[counters];
        foreach (var (counts, keys) in partial)
            for (var c = 0; c < counters; c++)
            {
                total[c] += counts[c];
                totalKeys[c] = unchecked(totalKeys[c] + keys[c]);
            }
        return (total, totalKeys);
    }
}

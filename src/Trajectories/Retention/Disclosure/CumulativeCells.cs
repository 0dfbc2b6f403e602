namespace Trajectories.Retention.Disclosure;

/// <summary>Counts and cell keys per month, turned into cumulative cells.</summary>
public sealed class CumulativeCells(int months)
{
    private readonly int[] _count = new int[months];
    private readonly uint[] _key = new uint[months];

    public void Add(int month, uint key)
    {
        _count[month]++;
        _key[month] = unchecked(_key[month] + key);
    }

    /// <summary>
    /// Cumulative counts by month, each protected with the key of its contributors. A perturbed cumulative count
    /// can dip below the month before; it is held at the month before's, so no month shows a negative count (a
    /// rule on published values only, the same for every query).
    /// </summary>
    public int[] Cumulative(PerturbationTable? protect)
    {
        var result = new int[_count.Length];
        int count = 0, shown = 0;
        uint key = 0;
        for (var k = 0; k < _count.Length; k++)
        {
            count += _count[k];
            key = unchecked(key + _key[k]);
            shown = Math.Max(shown, protect?.Protect(count, key) ?? count);
            result[k] = shown;
        }
        return result;
    }
}

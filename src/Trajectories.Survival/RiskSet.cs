namespace Trajectories.Survival;

/// <summary>
/// The risk set swept in time order in O(n log n): at a time t, at risk = n − #{exit &lt; t} − #{entry ≥ t}
/// (counting-process convention, see <see cref="Observation.AtRiskAt"/>). Subjects whose entry is not before their
/// exit are never at risk and are left out.
/// </summary>
internal sealed class RiskSet
{
    private readonly double[] _exits;
    private readonly double[] _entries;
    private int _exitedBefore;

    public RiskSet(IEnumerable<Observation> observations)
    {
        var kept = observations.Where(o => o.Entry is not { } e || e < o.Exit).ToList();
        Count = kept.Count;
        _exits = kept.Select(o => o.Exit).Order().ToArray();
        _entries = kept.Where(o => o.Entry is not null).Select(o => o.Entry!.Value).Order().ToArray();
    }

    public int Count { get; }

    /// <summary>At risk at t; call with non-decreasing t.</summary>
    public int AtRisk(double t)
    {
        while (_exitedBefore < _exits.Length && _exits[_exitedBefore] < t) _exitedBefore++;
        // Entries are sorted ascending: those ≥ t are the tail after the first index with entry ≥ t.
        var enteredAtOrAfter = _entries.Length - SortedSearch.LowerBound(_entries, t);
        return Count - _exitedBefore - enteredAtOrAfter;
    }
}

using System.Runtime.CompilerServices;
using Trajectories.Survival;

namespace Trajectories.Retention;

/// <summary>
/// A measure's spells as columns, sorted by exit time once: observations in one array, and each grouping key's
/// values as small codes. A query's filters, the caller's states and its grouping are decided once per distinct
/// value and read off the codes, so splitting 100,000 spells into groups walks arrays instead of objects, and each
/// group's observations arrive already in time order for the estimators' sort (docs/performance-notes.md).
/// Groups and their members are those of filtering with <see cref="RetentionQuery.Admits(Spell)"/> and grouping
/// by <see cref="SurvivalReports.GroupKey"/>; within a group, spells keep the table's order.
/// </summary>
public sealed class SpellTable
{
    /// <summary>The spells in order of exit time (ties in their original order).</summary>
    public Spell[] Spells { get; }
    public Observation[] Observations { get; }
    public IReadOnlyList<Spell> this[int[] members] => members.Select(i => Spells[i]).ToList();
    /// <summary>Each spell's cause (why it ended) as an index in <see cref="CauseNames"/>; -1 if it has not.
    /// </summary>
    public int[] Cause { get; }
    /// <summary>Each spell's record key (the cell key method).</summary>
    public uint[] Key { get; }
    public IReadOnlyList<string> CauseNames { get; }

    private readonly int[][] _codes;
    private readonly string?[][] _values;
    private readonly int _state = Array.IndexOf(RetentionQuery.Keys, "state");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SpellTable(IReadOnlyList<Spell> spells)
    {
        var order = Enumerable.Range(0, spells.Count).ToArray();
        var exits = spells.Select(s => s.Observation.Exit).ToArray();
        // A stable order: equal exits stay as they came.
        Array.Sort(exits.Select((e, i) => (e, i)).ToArray(), order,
            Comparer<(double Exit, int Index)>.Create((a, b) =>
                a.Exit != b.Exit ? a.Exit.CompareTo(b.Exit) : a.Index.CompareTo(b.Index)));
        Spells = order.Select(i => spells[i]).ToArray();
        Observations = Spells.Select(s => s.Observation).ToArray();
        Key = Spells.Select(s => s.Key).ToArray();
        var causes = new Dictionary<string, int>(StringComparer.Ordinal);
        Cause = Spells.Select(s => s.Cause is not { } cause ? -1
            : causes.TryGetValue(cause, out var code) ? code : causes[cause] = causes.Count).ToArray();
        CauseNames = causes.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToList();
        var keys = RetentionQuery.Keys;
        _codes = new int[keys.Length][];
        _values = new string?[keys.Length][];
        for (var k = 0; k < keys.Length; k++)
        {
            var codes = new Dictionary<string, int>(StringComparer.Ordinal);
            var values = new List<string?> { null };   // code 0: the spell has no value for this key
            var column = new int[Spells.Length];
            for (var i = 0; i < Spells.Length; i++)
            {
                if (Spells[i].Attributes[keys[k]] is not { } value) continue;
                if (!codes.TryGetValue(value, out var code))
                {
                    codes[value] = code = values.Count;
                    values.Add(value);
                }
                column[i] = code;
            }
            _codes[k] = column;
            _values[k] = [.. values];
        }
    }

    /// <summary>
    /// The groups a query asks for, by key in ordinal order, each with the indices of its admitted spells.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IReadOnlyList<(string Key, int[] Members)> Groups(RetentionQuery query)
    {
        var keys = RetentionQuery.Keys;
        // Per key and code: whether the filter (if any) and the caller's states let the value through.
        var allowed = new bool[keys.Length][];
        for (var k = 0; k < keys.Length; k++)
        {
            var values = _values[k];
            query.Filters.TryGetValue(keys[k], out var wanted);
            allowed[k] = values.Select(v =>
                (wanted is null || v is not null && string.Equals(v, wanted, StringComparison.OrdinalIgnoreCase))
                && (k != _state || query.Scope is null || v is not null && query.Scope.Contains(v))).ToArray();
        }
        var filtered = Enumerable.Range(0, keys.Length)
            .Where(k => query.Filters.ContainsKey(keys[k]) || k == _state && query.Scope is not null).ToArray();
        var grouping = query.GroupBy is null ? -1 : Array.IndexOf(keys, query.GroupBy);
        // Each code's group: its value, or "none" where the spell has none (SurvivalReports.GroupKey).
        var names = grouping < 0 ? ["all"] : _values[grouping].Select(v => v ?? "none").ToArray();
        var groupOf = names.Select(n => Array.IndexOf(names, n)).ToArray();
        var members = names.Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < Spells.Length; i++)
        {
            var admitted = true;
            foreach (var k in filtered)
                if (!allowed[k][_codes[k][i]]) { admitted = false; break; }
            if (admitted) members[groupOf[grouping < 0 ? 0 : _codes[grouping][i]]].Add(i);
        }
        return names.Select((name, g) => (name, g)).Where(x => members[x.g].Count > 0)
            .OrderBy(x => x.name, StringComparer.Ordinal).Select(x => (x.name, members[x.g].ToArray())).ToList();
    }

    public List<Observation> ObservationsOf(int[] members)
    {
        var list = new List<Observation>(members.Length);
        foreach (var i in members) list.Add(Observations[i]);
        return list;
    }
}

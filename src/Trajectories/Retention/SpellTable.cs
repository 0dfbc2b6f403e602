using System.Runtime.CompilerServices;
using Trajectories.Survival;

namespace Trajectories.Retention;

/// <summary>
/// A measure's spells as columns, sorted by exit time once: observations in one array, and each grouping key's
/// values as small codes. A query's filters, the caller's states and its grouping are decided once per distinct
/// value and read off the codes, so splitting 100,000 spells into groups walks arrays instead of objects, and each
/// group's observations arrive already in time order for the estimators' sort (docs/performance-notes.md).
/// Groups and their members are those of filtering with <see cref="RetentionQuery.Admits(Spell)"/> and grouping
/// by <see cref="SurvivalReports.GroupKey"/>; within a group, spells are in exit order.
/// </summary>
public sealed class SpellTable
{
    /// <summary>The spells in order of exit time.</summary>
    public Spell[] Spells { get; }
    public Observation[] Observations { get; }
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
        // One pass over the spell objects in their own order (each is read once, in the order it sits in memory):
        // everything is copied out into columns, which are then put in exit order.
        var n = spells.Count;
        var keys = RetentionQuery.Keys;
        var exits = new double[n];
        var observations = new Observation[n];
        var recordKeys = new uint[n];
        var causeCodes = new int[n];
        var columns = keys.Select(_ => new int[n]).ToArray();
        var causes = new Codes();
        var codes = keys.Select(_ => new Codes()).ToArray();
        for (var i = 0; i < n; i++)
        {
            var spell = spells[i];
            exits[i] = spell.Observation.Exit;
            observations[i] = spell.Observation;
            recordKeys[i] = spell.Key;
            causeCodes[i] = causes.Of(spell.Cause) - 1;
            var attributes = spell.Attributes;
            for (var k = 0; k < keys.Length; k++) columns[k][i] = codes[k].Of(Value(attributes, k));
        }
        // Ties keep no particular order: every answer made from a group counts, and counting ignores order.
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(exits, order);
        T[] Ordered<T>(T[] column) => order.Select(i => column[i]).ToArray();
        Spells = order.Select(i => spells[i]).ToArray();
        Observations = Ordered(observations);
        Key = Ordered(recordKeys);
        Cause = Ordered(causeCodes);
        CauseNames = causes.Values.Skip(1).Select(v => v!).ToList();
        _codes = columns.Select(Ordered).ToArray();
        _values = codes.Select(c => c.Values.ToArray()).ToArray();
    }

    /// <summary>A spell's value for the k-th of <see cref="RetentionQuery.Keys"/>: SpellAttributes' indexer by
    /// position, without a string switch per spell and key. <see cref="KeysInOrder"/> checks the positions.</summary>
    private static string? Value(SpellAttributes attributes, int k) => k switch
    {
        0 => attributes.State, 1 => attributes.Cohort, 2 => attributes.Credential, 3 => attributes.JobType,
        4 => attributes.Tier, 5 => attributes.FullTime, 6 => attributes.Rural, 7 => attributes.Mhpsa,
        8 => attributes.HireYear, _ => throw new ArgumentOutOfRangeException(nameof(k)),
    };

    /// <summary>Whether <see cref="Value"/> reads every key where the indexer does (a unit test asks).</summary>
    public static bool KeysInOrder()
    {
        var sample = new SpellAttributes("s", "c", "cr", "r", "m", "j", "t", "f", "p", "h");
        return RetentionQuery.Keys.Length == 9
               && RetentionQuery.Keys.Select((key, k) => Value(sample, k) == sample[key]).All(same => same);
    }

    /// <summary>Codes for the values of one column: 0 for none (null), then each distinct value in order seen.
    /// </summary>
    private sealed class Codes
    {
        private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
        private string? _last;
        private int _lastCode;
        public List<string?> Values { get; } = [null];

        public int Of(string? value)
        {
            if (value is null) return 0;
            // Runs of the same string instance (flags, cohort names) skip the hashing.
            if (ReferenceEquals(value, _last)) return _lastCode;
            if (!_codes.TryGetValue(value, out var code))
            {
                _codes[value] = code = Values.Count;
                Values.Add(value);
            }
            (_last, _lastCode) = (value, code);
            return code;
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
        // A filter on a key the columns do not hold (a time-varying episode's "promoted", or any other) is decided
        // spell by spell, as RetentionQuery.Admits decides it.
        var others = query.Filters.Keys.Where(key => !keys.Contains(key)).ToList();
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
            if (admitted && others.Count > 0)
                admitted = Trajectories.Retention.Spells.Matches(Spells[i], query.Filters);
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

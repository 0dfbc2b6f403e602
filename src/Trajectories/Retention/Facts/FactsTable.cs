using System.Runtime.CompilerServices;
using Trajectories.Careers;

namespace Trajectories.Retention.Facts;

/// <summary>
/// The retention facts as columns: day numbers and small codes in flat arrays, one row per person and one per job,
/// built once per view of the facts (RetentionFactsCache) and read by the counting endpoints (workforce summary,
/// cohort grid). Walking 100,000 object graphs (a person, a list of jobs, their strings) cost those queries 100-200
/// ms, most of it waiting on memory; the same counts over arrays take a few milliseconds (docs/performance-notes.md).
/// Every column is derived from <see cref="RetentionFacts"/> by the rules its methods state (StatusOn, HeldOn,
/// TermsOn), and the tests compare the answers with those methods person by person.
/// </summary>
public sealed class FactsTable
{
    /// <summary>Day numbers at or past this stand for "none" (an open job's end).</summary>
    public const int Open = int.MaxValue;

    /// <summary>The person-level keys a filter may name (RetentionQuery.PersonValue), in column order.</summary>
    public static readonly string[] PersonKeys = ["state", "cohort", "credential", "rural", "mhpsa"];

    /// <summary>Months after certification at which the cohort grid reads a person's status.</summary>
    public static readonly int[] MarkMonths = SurvivalReports.Months;

    public IReadOnlyList<RetentionFacts> Facts { get; }
    public int People => Facts.Count;

    public int[] Certified { get; }
    /// <summary>When follow-up began, if after certification; else <see cref="int.MinValue"/>.</summary>
    public int[] ObservedFrom { get; }
    public int[] Cohort { get; }
    /// <summary>Each person's record key (the cell key method), or 0 when the table was built without keys.</summary>
    public uint[] Key { get; }

    /// <summary>Per person-level key, each person's code, and the value each code stands for.</summary>
    private readonly int[][] _codes;
    private readonly string[][] _values;
    private readonly int _state = Array.IndexOf(PersonKeys, "state");
    /// <summary>Every (state code, cohort year) someone has: the groups an analyst's answer lists.</summary>
    private readonly (int State, int Cohort)[] _stateCohorts;

    /// <summary>Status changes, person i's at [StatusAt[i], StatusAt[i+1]): the day and the status's index in
    /// <see cref="Vocabulary.Status.All"/>.</summary>
    public int[] StatusAt { get; }
    public int[] StatusDay { get; }
    public byte[] StatusCode { get; }

    /// <summary>Jobs, person i's at [JobAt[i], JobAt[i+1]).</summary>
    public int[] JobAt { get; }
    public JobFacts[] Job { get; }
    public int[] JobStart { get; }
    /// <summary>The day a job ended, or <see cref="Open"/>.</summary>
    public int[] JobEnd { get; }
    /// <summary>The job type's index in <see cref="Vocabulary.JobTypes"/>, or -1 for a type outside it.</summary>
    public sbyte[] JobType { get; }
    /// <summary>The separation reason's index in <see cref="Vocabulary.SeparationReasons"/>, or -1.</summary>
    public sbyte[] JobReason { get; }
    public uint[] JobKey { get; }

    /// <summary>Each job's terms (JobFacts.Terms), job j's at [TermAt[j], TermAt[j+1]), in date order: the day they
    /// took effect, the tier (free text, or null), the hourly wage and whether full time.</summary>
    public int[] TermAt { get; }
    public int[] TermDay { get; }
    public string?[] TermTier { get; }
    public decimal[] TermWage { get; }
    public bool[] TermFullTime { get; }

    /// <summary>Per person and mark (person i's at i × marks + k): the mark's day and the status there (index in
    /// <see cref="Vocabulary.Status.All"/>).</summary>
    public int[] MarkDay { get; }
    public byte[] MarkStatus { get; }

    public static readonly int Peer = Array.IndexOf(Vocabulary.JobTypes, "peer");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public FactsTable(IReadOnlyList<RetentionFacts> facts, Func<Guid, uint>? keyOf = null)
    {
        Facts = facts;
        var n = facts.Count;
        Certified = new int[n];
        ObservedFrom = new int[n];
        Cohort = new int[n];
        Key = new uint[n];
        _codes = PersonKeys.Select(_ => new int[n]).ToArray();
        StatusAt = new int[n + 1];
        JobAt = new int[n + 1];
        MarkDay = new int[n * MarkMonths.Length];
        MarkStatus = new byte[n * MarkMonths.Length];

        // First pass, in order: where each person's rows start, and the codes of the person-level values.
        var codes = new Codes();
        var pairs = new HashSet<(int State, int Cohort)>();
        int statuses = 0, jobs = 0, terms = 0;
        var termAt = new List<int>();
        for (var i = 0; i < n; i++)
        {
            var f = facts[i];
            StatusAt[i] = statuses;
            JobAt[i] = jobs;
            statuses += f.Statuses.Count;
            jobs += f.Jobs.Count;
            foreach (var job in f.Jobs)
            {
                termAt.Add(terms);
                terms += job.Terms.Count;
            }
            codes.Add(f, i, _codes);
            pairs.Add((_codes[_state][i], f.Cohort));
        }
        _stateCohorts = [.. pairs];
        StatusAt[n] = statuses;
        JobAt[n] = jobs;
        _values = codes.Values();
        StatusDay = new int[statuses];
        StatusCode = new byte[statuses];
        Job = new JobFacts[jobs];
        JobStart = new int[jobs];
        JobEnd = new int[jobs];
        JobType = new sbyte[jobs];
        JobReason = new sbyte[jobs];
        JobKey = new uint[jobs];
        termAt.Add(terms);
        TermAt = [.. termAt];
        TermDay = new int[terms];
        TermTier = new string?[terms];
        TermWage = new decimal[terms];
        TermFullTime = new bool[terms];

        // Second pass, on every core: each person's rows go where the first pass put them.
        if (n == 0) return;
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, n, 4096), range =>
        {
            for (var i = range.Item1; i < range.Item2; i++) Fill(facts[i], i, keyOf);
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Fill(RetentionFacts f, int i, Func<Guid, uint>? keyOf)
    {
        Certified[i] = f.CertifiedOn.DayNumber;
        ObservedFrom[i] = f.ObservationStart?.DayNumber ?? int.MinValue;
        Cohort[i] = f.Cohort;
        Key[i] = keyOf?.Invoke(f.Id) ?? 0;
        var s = StatusAt[i];
        foreach (var change in f.Statuses)
        {
            StatusDay[s] = change.On.DayNumber;
            StatusCode[s++] = StatusIndex(change.Status);
        }
        var j = JobAt[i];
        foreach (var job in f.Jobs)
        {
            Job[j] = job;
            JobStart[j] = job.Start.DayNumber;
            JobEnd[j] = job.End?.DayNumber ?? Open;
            JobType[j] = (sbyte)Array.IndexOf(Vocabulary.JobTypes, job.JobType);
            JobReason[j] = job.Reason is null
                ? (sbyte)-1
                : (sbyte)Array.IndexOf(Vocabulary.SeparationReasons, job.Reason);
            var t = TermAt[j];
            foreach (var term in job.Terms)
            {
                TermDay[t] = term.On.DayNumber;
                TermTier[t] = term.Tier;
                TermWage[t] = term.HourlyWage;
                TermFullTime[t++] = term.FullTime;
            }
            JobKey[j++] = keyOf?.Invoke(job.JobId) ?? 0;
        }
        for (var k = 0; k < MarkMonths.Length; k++)
        {
            var mark = f.CertifiedOn.AddMonths(MarkMonths[k]);
            MarkDay[i * MarkMonths.Length + k] = mark.DayNumber;
            // From the columns just written (RetentionFacts.StatusOn's rule), not the objects: cheaper.
            MarkStatus[i * MarkMonths.Length + k] = (byte)StatusOn(i, mark.DayNumber);
        }
    }

    /// <summary>
    /// The person-level values as codes, in the order of <see cref="PersonKeys"/>; each value is written as
    /// RetentionQuery.PersonValue writes it, so a filter compares with the same words.
    /// </summary>
    private sealed class Codes
    {
        private readonly Dictionary<string, int> _states = new(StringComparer.Ordinal);
        private readonly Dictionary<int, int> _cohorts = [];
        private readonly Dictionary<string, int> _credentials = new(StringComparer.Ordinal);

        public void Add(RetentionFacts f, int i, int[][] codes)
        {
            codes[0][i] = Code(_states, f.State);
            codes[1][i] = Code(_cohorts, f.Cohort);
            codes[2][i] = Code(_credentials, f.Credential);
            codes[3][i] = f.Rural ? 1 : 0;
            codes[4][i] = f.Mhpsa ? 1 : 0;
        }

        private static int Code<T>(Dictionary<T, int> codes, T value) where T : notnull
        {
            if (!codes.TryGetValue(value, out var code)) codes[value] = code = codes.Count;
            return code;
        }

        public string[][] Values()
        {
            string[] Ordered<T>(Dictionary<T, int> codes, Func<T, string> name) where T : notnull =>
                codes.OrderBy(kv => kv.Value).Select(kv => name(kv.Key)).ToArray();
            string[] flag = [RetentionQuery.Flag(false), RetentionQuery.Flag(true)];
            return
            [
                Ordered(_states, s => s),
                Ordered(_cohorts, c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Ordered(_credentials, c => c), flag, flag,
            ];
        }
    }

    /// <summary>A status's index in <see cref="Vocabulary.Status.All"/>; the projection writes no other.</summary>
    public static byte StatusIndex(string status)
    {
        var index = Array.IndexOf(Vocabulary.Status.All, status);
        return index >= 0 ? (byte)index
            : throw new InvalidOperationException($"Retention facts hold a status outside the vocabulary: {status}");
    }

    /// <summary>
    /// The people a query admits (RetentionQuery.Admits) who were certified by its as-of date, in table order:
    /// the filters and the caller's states are decided once per distinct value, then read off the codes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int[] Select(RetentionQuery query)
    {
        var allowed = new bool[PersonKeys.Length][];
        for (var k = 0; k < PersonKeys.Length; k++)
        {
            var values = _values[k];
            allowed[k] = new bool[values.Length];
            query.Filters.TryGetValue(PersonKeys[k], out var wanted);
            for (var c = 0; c < values.Length; c++)
                allowed[k][c] = (wanted is null || string.Equals(values[c], wanted, StringComparison.OrdinalIgnoreCase))
                    && (k != _state || query.Scope is null || query.Scope.Contains(values[c]));
        }
        // A filter on a key people do not have (a job's or a spell's) admits no one, as RetentionQuery.Admits.
        if (query.Filters.Keys.Any(key => !PersonKeys.Contains(key))) return [];
        var asOf = query.AsOf.DayNumber;
        var selected = new List<int>(People);
        for (var i = 0; i < People; i++)
        {
            if (Certified[i] > asOf) continue;
            var admitted = true;
            for (var k = 0; k < PersonKeys.Length && admitted; k++) admitted = allowed[k][_codes[k][i]];
            if (admitted) selected.Add(i);
        }
        return [.. selected];
    }

    /// <summary>The states of everyone in the caller's states (ADR 14: the groups an analyst's answer lists).
    /// </summary>
    public IReadOnlyList<string> States(IReadOnlySet<string>? scope) =>
        _stateCohorts.Select(p => _values[_state][p.State]).Distinct()
            .Where(state => scope is null || scope.Contains(state)).ToList();

    /// <summary>The cohort years of everyone in the caller's states, up to a year, in order.</summary>
    public IReadOnlyList<int> CohortYears(IReadOnlySet<string>? scope, int upTo = int.MaxValue) =>
        _stateCohorts.Where(p => p.Cohort <= upTo && (scope is null || scope.Contains(_values[_state][p.State])))
            .Select(p => p.Cohort).Distinct().Order().ToList();

    /// <summary>The cohort years of the people in the caller's states certified by the as-of date's year.</summary>
    public IReadOnlyList<int> CohortYears(RetentionQuery query) => CohortYears(query.Scope, query.AsOf.Year);

    /// <summary>The index in <see cref="Vocabulary.Status.All"/> of person i's status on a day.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int StatusOn(int person, int day)
    {
        var status = SeekingPeerWork;
        for (var s = StatusAt[person]; s < StatusAt[person + 1] && StatusDay[s] <= day; s++) status = StatusCode[s];
        return status;
    }

    public static readonly byte SeekingPeerWork = StatusIndex(Vocabulary.Status.SeekingPeerWork);

    public bool HeldOn(int job, int day) => JobStart[job] <= day && day < JobEnd[job];

    /// <summary>The index of a job's terms in force on a day: the last to take effect on or before it, else the
    /// first (JobFacts.TermsOn).</summary>
    public int TermsOn(int job, int day)
    {
        // As JobFacts.TermsOn: the last in the list on or before the day (the projection writes them in date order,
        // but nothing here relies on it), and a job without terms is an error, not its neighbour's terms.
        if (TermAt[job] == TermAt[job + 1])
            throw new InvalidOperationException("Retention facts hold a job without terms");
        var found = TermAt[job];
        for (var t = TermAt[job]; t < TermAt[job + 1]; t++)
            if (TermDay[t] <= day) found = t;
        return found;
    }
}

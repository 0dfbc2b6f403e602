using System.Runtime.CompilerServices;
namespace Trajectories.Survival;

public sealed record IncidencePoint(
    double Time, int AtRisk, double Survival, IReadOnlyDictionary<string, double> Incidence,
    IReadOnlyDictionary<string, int> Events, int Censored);

public sealed record CompetingRisksCurve(int N, IReadOnlyList<string> Causes, IReadOnlyList<IncidencePoint> Points)
{
    /// <summary>The curves read at a time (step functions); null past the last observed time.</summary>
    public IncidencePoint? At(double time)
    {
        if (Points.Count == 0 || time > Points[^1].Time) return null;
        return Points.LastOrDefault(p => p.Time <= time)
               ?? new IncidencePoint(time, Points[0].AtRisk, 1, Causes.ToDictionary(c => c, _ => 0d),
                   Causes.ToDictionary(c => c, _ => 0), 0);
    }
}

/// <summary>
/// Aalen-Johansen cumulative incidence for competing risks: CIF_k(t) = Σ_{s ≤ t} S(s-) · d_k(s) / n(s), with S the
/// all-cause Kaplan-Meier. At every time the incidences and S sum to one — unlike 1 - KM per cause, which treats
/// other causes as censoring and overstates each. Matches R's survfit with a multi-state (factor) status.
/// </summary>
public static class AalenJohansen
{
    public static CompetingRisksCurve Estimate(IReadOnlyCollection<CompetingObservation> observations)
    {
        var names = observations.Where(o => o.Cause is not null).Select(o => o.Cause!)
            .Distinct(StringComparer.Ordinal).ToList();
        var index = names.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        return Estimate(observations.Select(o => o.AnyCause).ToArray(),
            observations.Select(o => o.Cause is null ? -1 : index[o.Cause]).ToArray(), names);
    }

    /// <summary>
    /// The same estimate with causes as codes: <paramref name="causeOf"/>[i] is subject i's cause as an index in
    /// <paramref name="causeNames"/> (distinct names), or -1 when censored. Callers that hold codes already (the
    /// retention answers' spell table) pass them, so 100,000 scattered strings are not hashed per answer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static CompetingRisksCurve Estimate(
        IReadOnlyList<Observation> observations, IReadOnlyList<int> causeOf, IReadOnlyList<string> causeNames)
    {
        // The causes any subject has, in ordinal order; then one pass for the subjects ever at risk with their
        // cause's index there (-1 when censored), and one sort by exit shared with the risk set. Each run of equal
        // exits is one time. (LINQ grouping per time, and sorting the same exits twice, was most of the estimate at
        // 100,000 subjects.)
        var present = new bool[causeNames.Count];
        for (var i = 0; i < causeOf.Count; i++)
            if (causeOf[i] >= 0) present[causeOf[i]] = true;
        var causes = Enumerable.Range(0, causeNames.Count).Where(c => present[c]).Select(c => causeNames[c])
            .Order(StringComparer.Ordinal).ToList();
        var position = causeNames.Select(name => causes.IndexOf(name)).ToArray();
        var exits = new double[observations.Count];
        var causeAt = new int[observations.Count];
        var entryTimes = new List<double>();
        var n = 0;
        for (var i = 0; i < observations.Count; i++)
        {
            var o = observations[i];
            if (o.Entry is { } e)
            {
                if (e >= o.Exit) continue;
                entryTimes.Add(e);
            }
            exits[n] = o.Exit;
            causeAt[n++] = causeOf[i] >= 0 ? position[causeOf[i]] : -1;
        }
        Array.Resize(ref exits, n);
        Array.Resize(ref causeAt, n);
        Array.Sort(exits, causeAt);
        var entries = entryTimes.ToArray();
        Array.Sort(entries);
        var risk = new RiskSet(exits, entries);

        var incidence = causes.ToDictionary(c => c, _ => 0d);
        var points = new List<IncidencePoint>();
        double survival = 1;
        var counts = new int[causes.Count];
        for (var i = 0; i < exits.Length;)
        {
            var time = exits[i];
            var start = i;
            Array.Clear(counts);
            for (; i < exits.Length && exits[i] == time; i++)
                if (causeAt[i] >= 0) counts[causeAt[i]]++;
            var atRisk = risk.AtRisk(time);
            if (atRisk == 0) continue;
            var events = causes.Select((c, k) => (c, k)).ToDictionary(x => x.c, x => counts[x.k]);
            var total = events.Values.Sum();
            foreach (var c in causes) incidence[c] += survival * events[c] / atRisk;
            survival *= 1 - (double)total / atRisk;
            points.Add(new IncidencePoint(time, atRisk, survival, new Dictionary<string, double>(incidence), events,
                i - start - total));
        }
        return new CompetingRisksCurve(observations.Count, causes, points);
    }

    /// <summary>
    /// The same estimate from a life table: rows in ascending time, each with its own at-risk count and events per
    /// cause (for published, protected counts). Given a data set's own rows it equals <see cref="Estimate"/>. Events
    /// above the at-risk count are scaled down to it.
    /// </summary>
    public static CompetingRisksCurve FromCounts(
        int n, IReadOnlyList<string> causes, IReadOnlyList<CompetingRow> rows)
    {
        var incidence = causes.ToDictionary(c => c, _ => 0d);
        var points = new List<IncidencePoint>();
        double survival = 1;
        foreach (var row in rows)
        {
            if (row.AtRisk <= 0) continue;
            var events = causes.ToDictionary(c => c, c => Math.Max(0, row.Events.GetValueOrDefault(c)));
            var total = events.Values.Sum();
            var scale = total > row.AtRisk ? (double)row.AtRisk / total : 1;
            foreach (var c in causes) incidence[c] += survival * events[c] * scale / row.AtRisk;
            survival *= 1 - Math.Min(total, row.AtRisk) / (double)row.AtRisk;
            points.Add(new IncidencePoint(row.Time, row.AtRisk, survival, new Dictionary<string, double>(incidence),
                events, Math.Max(0, row.Censored)));
        }
        return new CompetingRisksCurve(n, causes, points);
    }
}

/// <summary>One row of a competing-risks life table: at risk, events by cause, censored.</summary>
public sealed record CompetingRow(double Time, int AtRisk, IReadOnlyDictionary<string, int> Events, int Censored);

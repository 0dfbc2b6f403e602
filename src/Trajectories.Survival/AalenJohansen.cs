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
        var causes = observations.Where(o => o.Cause is not null).Select(o => o.Cause!).Distinct()
            .Order(StringComparer.Ordinal).ToList();
        var incidence = causes.ToDictionary(c => c, _ => 0d);
        var points = new List<IncidencePoint>();
        double survival = 1;

        var risk = new RiskSet(observations.Select(o => o.AnyCause));
        // The subjects ever at risk sorted by exit once, each with its cause's index (-1 when censored); each run of
        // equal exits is one time. (Grouping with LINQ per time was most of the estimate at 100,000 subjects.)
        var index = causes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var kept = observations.Where(o => o.Entry is not { } e || e < o.Exit).ToArray();
        var exits = kept.Select(o => o.Exit).ToArray();
        var causeOf = kept.Select(o => o.Cause is null ? -1 : index[o.Cause]).ToArray();
        Array.Sort(exits, causeOf);
        var counts = new int[causes.Count];
        for (var i = 0; i < exits.Length;)
        {
            var time = exits[i];
            var start = i;
            Array.Clear(counts);
            for (; i < exits.Length && exits[i] == time; i++)
                if (causeOf[i] >= 0) counts[causeOf[i]]++;
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

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
        var exits = observations.Where(o => o.Entry is not { } e || e < o.Exit).GroupBy(o => o.Exit)
            .OrderBy(g => g.Key);
        foreach (var group in exits)
        {
            var time = group.Key;
            var atRisk = risk.AtRisk(time);
            if (atRisk == 0) continue;
            var ending = group.ToList();
            var events = causes.ToDictionary(c => c, c => ending.Count(o => o.Cause == c));
            var total = events.Values.Sum();
            foreach (var c in causes) incidence[c] += survival * events[c] / atRisk;
            survival *= 1 - (double)total / atRisk;
            points.Add(new IncidencePoint(time, atRisk, survival, new Dictionary<string, double>(incidence), events,
                ending.Count - total));
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

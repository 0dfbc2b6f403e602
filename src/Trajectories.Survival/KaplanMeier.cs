using System.Runtime.CompilerServices;
using MathNet.Numerics.Distributions;

namespace Trajectories.Survival;

/// <summary>One step of a Kaplan-Meier curve, at a distinct event or censoring time.</summary>
public sealed record SurvivalPoint(
    double Time, int AtRisk, int Events, int Censored, double Survival, double? StdErrLog, double? Lower,
    double? Upper);

public sealed record Median(double? Time, double? Lower, double? Upper);

public sealed record SurvivalCurve(
    int N, int Events, int Censored, IReadOnlyList<SurvivalPoint> Points, CiTransform Transform, double Confidence)
{
    public static readonly SurvivalCurve Empty = new(0, 0, 0, [], CiTransform.LogLog, 0.95);

    /// <summary>
    /// The curve read at a time (the step function: events at t included). Null before the curve has data there:
    /// past the last observed time, where the estimate is not defined.
    /// </summary>
    public SurvivalPoint? At(double time)
    {
        if (Points.Count == 0 || time > Points[^1].Time) return null;
        SurvivalPoint? last = null;
        foreach (var p in Points)
        {
            if (p.Time > time) break;
            last = p;
        }
        return last ?? new SurvivalPoint(time, Points[0].AtRisk, 0, 0, 1, 0, 1, 1);
    }

    /// <summary>
    /// The restricted mean survival time up to <paramref name="tau"/> (the area under the curve from 0 to tau) and
    /// its standard error, as R's <c>print(fit, rmean = tau)</c> (survival:::survmean): the curve's rectangles up to
    /// tau, each at the survival before it; variance Σᵢ Aᵢ² dᵢ / (nᵢ (nᵢ − dᵢ)) over the times up to tau, Aᵢ being
    /// the area from tᵢ to tau (a time where everyone at risk left adds nothing). Past the curve's last time the
    /// last value is carried to tau, as R does.
    /// </summary>
    public (double Mean, double Se) RestrictedMean(double tau)
    {
        var kept = Points.Where(p => p.Time <= tau).ToList();
        var times = kept.Select(p => p.Time).Append(tau).ToList();
        var survival = kept.Select(p => p.Survival).ToList();
        var hazard = kept.Select(p => p.AtRisk - p.Events == 0
            ? 0
            : (double)p.Events / (p.AtRisk * (double)(p.AtRisk - p.Events))).Append(0).ToList();
        var rectangles = new double[times.Count];
        double previous = 0;
        for (var i = 0; i < times.Count; i++)
        {
            rectangles[i] = (times[i] - previous) * (i == 0 ? 1 : survival[i - 1]);
            previous = times[i];
        }
        double variance = 0, after = 0;
        for (var i = times.Count - 1; i >= 1; i--)
        {
            after += rectangles[i];
            variance += after * after * hazard[i - 1];
        }
        return (rectangles.Sum(), Math.Sqrt(variance));
    }

    /// <summary>
    /// Median survival and its interval, as R's survfit: the first time the curve (or its lower/upper limit, for the
    /// lower/upper bound of the median) is at or below 0.5; where the curve is exactly 0.5 over an interval, the
    /// midpoint of that interval. Null when not reached.
    /// </summary>
    public Median Median() => new(
        FirstAtOrBelowHalf(p => p.Survival),
        FirstAtOrBelowHalf(p => p.Lower),
        FirstAtOrBelowHalf(p => p.Upper));

    private double? FirstAtOrBelowHalf(Func<SurvivalPoint, double?> value)
    {
        var steps = Points.Where(p => p.Events > 0).ToList();
        for (var i = 0; i < steps.Count; i++)
        {
            if (value(steps[i]) is not { } v || v > 0.5 + 1e-12) continue;
            if (Math.Abs(v - 0.5) < 1e-12 && i + 1 < steps.Count) return (steps[i].Time + steps[i + 1].Time) / 2;
            return steps[i].Time;
        }
        return null;
    }
}

/// <summary>
/// Kaplan-Meier product-limit estimator with right censoring and delayed entry, Greenwood's variance, and
/// log or log-log intervals — the conventions of R's survival::survfit (checked against it in the tests).
/// </summary>
public static class KaplanMeier
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SurvivalCurve Estimate(
        IReadOnlyCollection<Observation> observations, CiTransform transform = CiTransform.LogLog,
        double confidence = 0.95)
    {
        if (observations.Count == 0) return SurvivalCurve.Empty with { Transform = transform, Confidence = confidence };
        var z = Normal.InvCDF(0, 1, 1 - (1 - confidence) / 2);
        var points = new List<SurvivalPoint>();
        double survival = 1, greenwood = 0;
        var undefined = false;

        var kept = Kept.Of(observations);
        var risk = new RiskSet(kept.Exits, kept.Entries);
        // Each run of equal exits is one time. This loop is the hot path of every curve: the method is compiled
        // optimised at its first call (AggressiveOptimization), not after 30 calls of slow code at 100,000 subjects.
        for (var i = 0; i < kept.Exits.Length;)
        {
            var time = kept.Exits[i];
            int events = 0, censored = 0;
            for (; i < kept.Exits.Length && kept.Exits[i] == time; i++)
                if (kept.Events[i]) events++; else censored++;
            var atRisk = risk.AtRisk(time);
            if (atRisk == 0) continue;
            if (events > 0)
            {
                survival *= 1 - (double)events / atRisk;
                // Greenwood: Var(log S) = sum d / (n (n - d)); undefined once n = d (S drops to 0).
                if (events < atRisk) greenwood += (double)events / ((double)atRisk * (atRisk - events));
                else undefined = true;
            }
            var (lower, upper) = undefined ? (null, null) : Interval(survival, greenwood, z, transform);
            points.Add(new SurvivalPoint(time, atRisk, events, censored, survival,
                undefined ? null : Math.Sqrt(greenwood), lower, upper));
        }

        return new SurvivalCurve(observations.Count, points.Sum(p => p.Events), points.Sum(p => p.Censored), points,
            transform, confidence);
    }

    /// <summary>
    /// The same product-limit estimate and Greenwood intervals from a life table instead of observations: rows in
    /// ascending time, each with its own at-risk count (so delayed entry is already in it). Given the exact rows of a
    /// data set it equals <see cref="Estimate"/>; given protected counts it is the curve those counts imply. Rows with
    /// nobody at risk are skipped; events above the at-risk count are taken as the at-risk count.
    /// </summary>
    public static SurvivalCurve FromCounts(
        int n, IReadOnlyList<CountRow> rows, CiTransform transform = CiTransform.LogLog, double confidence = 0.95)
    {
        var z = Normal.InvCDF(0, 1, 1 - (1 - confidence) / 2);
        var points = new List<SurvivalPoint>();
        double survival = 1, greenwood = 0;
        var undefined = false;
        foreach (var row in rows)
        {
            if (row.AtRisk <= 0) continue;
            var events = Math.Clamp(row.Events, 0, row.AtRisk);
            if (events > 0)
            {
                survival *= 1 - (double)events / row.AtRisk;
                if (events < row.AtRisk) greenwood += (double)events / ((double)row.AtRisk * (row.AtRisk - events));
                else undefined = true;
            }
            var (lower, upper) = undefined ? (null, null) : Interval(survival, greenwood, z, transform);
            points.Add(new SurvivalPoint(row.Time, row.AtRisk, events, Math.Max(0, row.Censored), survival,
                undefined ? null : Math.Sqrt(greenwood), lower, upper));
        }
        return new SurvivalCurve(n, points.Sum(p => p.Events), points.Sum(p => p.Censored), points, transform,
            confidence);
    }

    /// <summary>
    /// log: exp(log S ± z·se), upper clipped at 1. log-log: exp(-exp(log(-log S) ∓ z·se/|log S|)), as R's
    /// conf.type = "log-log". Where no event has happened yet (S = 1, se = 0) the interval is [1, 1]; where S = 0 it is
    /// undefined (null, never NaN).
    /// </summary>
    public static (double? Lower, double? Upper) Interval(
        double survival, double varianceLog, double z, CiTransform transform)
    {
        if (survival <= 0) return (null, null);
        var se = Math.Sqrt(varianceLog);
        if (se == 0) return (survival, survival);
        if (transform == CiTransform.Log)
            return (Math.Exp(Math.Log(survival) - z * se), Math.Min(1, Math.Exp(Math.Log(survival) + z * se)));
        if (survival >= 1) return (1, 1);
        var logS = Math.Log(survival);
        var loglog = Math.Log(-logS);
        var spread = z * se / Math.Abs(logS);
        return (Math.Exp(-Math.Exp(loglog + spread)), Math.Exp(-Math.Exp(loglog - spread)));
    }
}

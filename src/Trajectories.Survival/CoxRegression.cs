using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Trajectories.Survival;

/// <summary>
/// One row of a Cox model: at risk on (Entry, Exit] (from time 0 when Entry is null), an event at Exit or not, and
/// the covariates on that interval. Counting-process rows: a person whose covariates change has one row per episode.
/// </summary>
public sealed record CoxRow(double? Entry, double Exit, bool Event, double[] X);

public enum CoxTies { Efron, Breslow }

public sealed record CoxTerm(
    string Name, double Coef, double Se, double HazardRatio, double Lower, double Upper, double Z, double P);

public sealed record ChiSquareTest(double ChiSquare, int DegreesOfFreedom, double P)
{
    public static ChiSquareTest Of(double chi, int df) =>
        new(chi, df, Math.Clamp(1 - ChiSquared.CDF(df, Math.Max(0, chi)), 0, 1));
}

public sealed record Concordance(
    double Value, double Se, long Concordant, long Discordant, long TiedRisk, long TiedTime);

public sealed record CoxFit(
    int N, int Events, IReadOnlyList<CoxTerm> Terms, double LogLikNull, double LogLik,
    ChiSquareTest LikelihoodRatio, ChiSquareTest Wald, ChiSquareTest Score, Concordance Concordance, int Iterations,
    Matrix<double> Variance);

/// <summary>Why a model cannot be fitted, naming the covariate (column) at fault.</summary>
public sealed class CoxFitException(string rule, int column, string message) : Exception(message)
{
    public string Rule { get; } = rule;
    public int Column { get; } = column;
}

/// <summary>
/// The Cox proportional hazards model by maximum partial likelihood, as R's <c>coxph</c>: Newton-Raphson from zero
/// with step halving, covariates centred on their means (which changes no estimate, only rounding), Efron's
/// approximation for tied event times (R's default) or Breslow's, and counting-process risk sets: a row is at risk at
/// an event time t when Entry &lt; t ≤ Exit, so delayed entry and time-varying covariates (one row per episode) are
/// handled as R's <c>Surv(start, stop, event)</c>. Standard errors from the inverse information at the estimate;
/// Wald z and two-sided normal p per term; intervals exp(β ± 1.96 se); likelihood-ratio, Wald (β' I β) and score
/// (U(0)' I(0)⁻¹ U(0)) tests on as many df as terms; Harrell's concordance of the linear predictor with R's counting
/// (pairs tied in time left out, ties in the predictor counted half) and its infinitesimal-jackknife standard error.
/// Checked against R's survival package (tests/reference/survival-reference.R).
/// </summary>
public static class CoxRegression
{
    private const int MaxIterations = 30;

    public static CoxFit Fit(IReadOnlyList<CoxRow> rows, IReadOnlyList<string> names, CoxTies ties = CoxTies.Efron)
    {
        var p = names.Count;
        var n = rows.Count;
        if (p == 0) throw new ArgumentException("a model needs at least one covariate", nameof(names));
        var data = new Data(rows, p);
        if (data.EventTimes.Length == 0) throw new CoxFitException("no-events", -1, "No events: nothing to model.");

        var beta = Vector<double>.Build.Dense(p);
        var (ll0, u0, i0) = data.Evaluate(beta, ties);
        var singular = SingularColumn(i0);
        if (singular >= 0)
            throw new CoxFitException("collinear-covariate", singular,
                $"'{names[singular]}' adds nothing the other terms do not already say (no variation among people " +
                "at risk, or the same as a combination of other terms).");
        var score = u0.DotProduct(i0.Solve(u0));

        var (ll, u, info) = (ll0, u0, i0);
        var iterations = 0;
        var converged = false;
        while (iterations < MaxIterations)
        {
            iterations++;
            var step = info.Solve(u);
            var next = beta + step;
            var (llNext, uNext, iNext) = data.Evaluate(next, ties);
            // Step halving, as coxph: a step that lowers the likelihood is halved until it does not.
            for (var halve = 0; halve < 30 && (llNext < ll || double.IsNaN(llNext)); halve++)
            {
                next = (beta + next) / 2;
                (llNext, uNext, iNext) = data.Evaluate(next, ties);
            }
            var change = Math.Abs(llNext - ll);
            (beta, ll, u, info) = (next, llNext, uNext, iNext);
            // R's rule (coxph.control eps = 1e-9 on the relative change of the log likelihood), a little tighter; a
            // step halved to no change at all is the maximum within rounding (a flat direction), not a failure.
            if (change <= 1e-10 * Math.Max(1, Math.Abs(ll)))
            {
                converged = true;
                break;
            }
        }
        var variance = info.Inverse();
        for (var j = 0; j < p; j++)
        {
            // A coefficient running off to infinity (a level in which nobody, or everybody, left): the likelihood
            // keeps rising without bound, so the estimate is the iteration limit's, not a maximum. Without
            // convergence, the term furthest out is the one running off.
            var runaway = converged ? -1 : Enumerable.Range(0, p).MaxBy(k => Math.Abs(beta[k]));
            if (j == runaway || Math.Abs(beta[j]) > 15 && Math.Sqrt(variance[j, j]) > 10)
                throw new CoxFitException("monotone-likelihood", j,
                    $"'{names[j]}' cannot be estimated: among the people at risk, nobody (or everybody) with it " +
                    "left, so its hazard ratio has no finite estimate.");
        }
        var wald = beta.DotProduct(info * beta);
        var terms = Enumerable.Range(0, p).Select(j =>
        {
            var se = Math.Sqrt(variance[j, j]);
            var z = beta[j] / se;
            return new CoxTerm(names[j], beta[j], se, Math.Exp(beta[j]), Math.Exp(beta[j] - 1.959963984540054 * se),
                Math.Exp(beta[j] + 1.959963984540054 * se), z, 2 * Normal.CDF(0, 1, -Math.Abs(z)));
        }).ToList();
        return new CoxFit(n, data.EventCount, terms, ll0, ll, ChiSquareTest.Of(2 * (ll - ll0), p),
            ChiSquareTest.Of(wald, p), ChiSquareTest.Of(score, p), ConcordanceOf(rows, data.LinearPredictor(beta)),
            iterations, variance);
    }

    /// <summary>
    /// The first column whose pivot in a Cholesky decomposition of the information is negligible (R's toler.chol,
    /// relative to the column's own diagonal), or -1.
    /// </summary>
    private static int SingularColumn(Matrix<double> info)
    {
        var p = info.RowCount;
        var l = Matrix<double>.Build.Dense(p, p);
        var tolerance = Math.Pow(2.220446049250313e-16, 0.75);
        for (var j = 0; j < p; j++)
        {
            var d = info[j, j];
            for (var k = 0; k < j; k++) d -= l[j, k] * l[j, k];
            if (info[j, j] <= 0 || d <= tolerance * Math.Max(1, info[j, j])) return j;
            l[j, j] = Math.Sqrt(d);
            for (var i = j + 1; i < p; i++)
            {
                var s = info[i, j];
                for (var k = 0; k < j; k++) s -= l[i, k] * l[j, k];
                l[i, j] = s / l[j, j];
            }
        }
        return -1;
    }

    /// <summary>
    /// Harrell's C as R's coxph reports it: for each event and each other row at risk at its time, concordant when
    /// the event's linear predictor is the higher, discordant when lower, tied when equal (counted half); pairs in
    /// which both have an event at the same time are left out. Standard error by the infinitesimal jackknife: the
    /// square root of the sum over rows of (∂C/∂wᵢ)², with ∂C/∂wᵢ = (Nᵢ − C·Dᵢ)/D from the pairs each row is in.
    /// </summary>
    private static Concordance ConcordanceOf(IReadOnlyList<CoxRow> rows, double[] lp)
    {
        var n = rows.Count;
        var num = new double[n];
        var den = new double[n];
        long concordant = 0, discordant = 0, tiedRisk = 0, tiedTime = 0;
        var byExit = Enumerable.Range(0, n).OrderBy(i => rows[i].Exit).ToArray();
        for (var a = 0; a < n; a++)
        {
            var i = byExit[a];
            if (!rows[i].Event) continue;
            var t = rows[i].Exit;
            // Rows at risk at t: Exit ≥ t (from a on, in exit order) and Entry < t.
            for (var b = 0; b < n; b++)
            {
                var j = byExit[b];
                if (j == i || rows[j].Exit < t || rows[j].Entry is { } e && e >= t) continue;
                if (rows[j].Exit == t && rows[j].Event)
                {
                    if (j > i) tiedTime++;
                    continue;
                }
                double score;
                if (lp[i] > lp[j]) { concordant++; score = 1; }
                else if (lp[i] < lp[j]) { discordant++; score = 0; }
                else { tiedRisk++; score = 0.5; }
                num[i] += score; num[j] += score;
                den[i] += 1; den[j] += 1;
            }
        }
        var total = concordant + discordant + tiedRisk;
        if (total == 0) return new Concordance(double.NaN, double.NaN, 0, 0, 0, tiedTime);
        var c = (concordant + tiedRisk / 2.0) / total;
        var variance = 0.0;
        for (var k = 0; k < n; k++)
        {
            var influence = (num[k] - c * den[k]) / total;
            variance += influence * influence;
        }
        return new Concordance(c, Math.Sqrt(variance), concordant, discordant, tiedRisk, tiedTime);
    }

    /// <summary>Rows sorted for the risk-set sweep, covariates centred.</summary>
    private sealed class Data
    {
        private readonly IReadOnlyList<CoxRow> _rows;
        private readonly double[][] _x;
        private readonly int _p;
        private readonly int[] _byExitDesc;
        private readonly int[] _byEntryDesc;
        public readonly double[] EventTimes;
        public int EventCount { get; }

        public Data(IReadOnlyList<CoxRow> rows, int p)
        {
            _rows = rows;
            _p = p;
            var means = new double[p];
            foreach (var r in rows)
            {
                if (r.X.Length != p) throw new ArgumentException("every row needs one value per covariate");
                for (var j = 0; j < p; j++) means[j] += r.X[j] / rows.Count;
            }
            _x = rows.Select(r => r.X.Select((v, j) => v - means[j]).ToArray()).ToArray();
            _byExitDesc = Enumerable.Range(0, rows.Count).OrderByDescending(i => rows[i].Exit).ToArray();
            _byEntryDesc = Enumerable.Range(0, rows.Count).Where(i => rows[i].Entry is not null)
                .OrderByDescending(i => rows[i].Entry!.Value).ToArray();
            var atRiskEvents = Enumerable.Range(0, rows.Count)
                .Where(i => rows[i].Event && (rows[i].Entry is not { } e || e < rows[i].Exit)).ToList();
            EventCount = atRiskEvents.Count;
            EventTimes = atRiskEvents.Select(i => rows[i].Exit).Distinct().OrderDescending().ToArray();
        }

        public double[] LinearPredictor(Vector<double> beta) =>
            _x.Select(x => x.Select((v, j) => v * beta[j]).Sum()).ToArray();

        /// <summary>The log partial likelihood, its gradient and the information (minus the Hessian) at β.</summary>
        public (double LogLik, Vector<double> U, Matrix<double> I) Evaluate(Vector<double> beta, CoxTies ties)
        {
            var p = _p;
            var risk = LinearPredictor(beta);
            var r = risk.Select(Math.Exp).ToArray();
            double s0 = 0;
            var s1 = new double[p];
            var s2 = new double[p, p];
            var u = Vector<double>.Build.Dense(p);
            var info = Matrix<double>.Build.Dense(p, p);
            double loglik = 0;
            int added = 0, removed = 0;
            var e1 = new double[p];
            var e2 = new double[p, p];
            foreach (var t in EventTimes)
            {
                for (; added < _byExitDesc.Length && _rows[_byExitDesc[added]].Exit >= t; added++)
                    Add(_byExitDesc[added], +1);
                for (; removed < _byEntryDesc.Length && _rows[_byEntryDesc[removed]].Entry!.Value >= t; removed++)
                    Add(_byEntryDesc[removed], -1);
                // The events at t among rows at risk (they were added: Exit = t ≥ t; not removed: Entry < t).
                double e0 = 0;
                Array.Clear(e1);
                Array.Clear(e2);
                var d = 0;
                for (var k = added - 1; k >= 0 && _rows[_byExitDesc[k]].Exit == t; k--)
                {
                    var i = _byExitDesc[k];
                    var row = _rows[i];
                    if (!row.Event || row.Entry is { } en && en >= t) continue;
                    d++;
                    loglik += risk[i];
                    e0 += r[i];
                    for (var a = 0; a < p; a++)
                    {
                        u[a] += _x[i][a];
                        e1[a] += r[i] * _x[i][a];
                        for (var b = 0; b < p; b++) e2[a, b] += r[i] * _x[i][a] * _x[i][b];
                    }
                }
                for (var k = 0; k < d; k++)
                {
                    var f = ties == CoxTies.Efron ? (double)k / d : 0;
                    var d0 = s0 - f * e0;
                    loglik -= Math.Log(d0);
                    for (var a = 0; a < p; a++)
                    {
                        var d1a = s1[a] - f * e1[a];
                        u[a] -= d1a / d0;
                        for (var b = 0; b < p; b++)
                        {
                            var d1b = s1[b] - f * e1[b];
                            info[a, b] += (s2[a, b] - f * e2[a, b]) / d0 - d1a * d1b / (d0 * d0);
                        }
                    }
                }
            }
            return (loglik, u, info);

            void Add(int i, int sign)
            {
                s0 += sign * r[i];
                for (var a = 0; a < p; a++)
                {
                    s1[a] += sign * r[i] * _x[i][a];
                    for (var b = 0; b < p; b++) s2[a, b] += sign * r[i] * _x[i][a] * _x[i][b];
                }
            }
        }
    }
}

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

/// <summary>R's cox.zph: a score test per term (a covariate's columns together) and a global one.</summary>
public sealed record ProportionalHazardsTest(IReadOnlyList<(string Term, ChiSquareTest Test)> Terms,
    ChiSquareTest Global);

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

    public static CoxFit Fit(IReadOnlyList<CoxRow> rows, IReadOnlyList<string> names, CoxTies ties = CoxTies.Efron,
        CancellationToken ct = default)
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
            ct.ThrowIfCancellationRequested();
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
    /// The test of proportional hazards of R's <c>cox.zph</c> (survival 3), with its default Kaplan-Meier transform of
    /// time: the score test, at the fitted β, for adding x·g(t) for the columns of each term (a covariate's levels
    /// together), where g(t) = 1 − S(t−) of the Kaplan-Meier of all rows, centred on its mean over the events. The
    /// score of the added columns is Σₜ g(t)·uₜ and the information of the model with them has blocks ΣVₜ, Σg·Vₜ and
    /// Σg²·Vₜ, from each event time's score uₜ and information Vₜ (Efron or Breslow as in the fit); the score of β
    /// itself is taken as zero, as R does. A term's test uses β's columns and the term's added ones; the global
    /// test, all of them. Terms are the names before '=' (<c>credential=youth-peer</c> belongs to credential).
    /// </summary>
    public static ProportionalHazardsTest ProportionalHazards(
        IReadOnlyList<CoxRow> rows, CoxFit fit, CoxTies ties = CoxTies.Efron, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var p = fit.Terms.Count;
        var data = new Data(rows, p);
        var km = KaplanMeier.Estimate(rows.Select(r => new Observation(r.Exit, r.Event, r.Entry)).ToList());
        var times = km.Points.Select(x => x.Time).ToArray();
        double Before(double t)
        {
            var k = SortedSearch.LowerBound(times, t);   // points strictly before t
            return k == 0 ? 1 : km.Points[k - 1].Survival;
        }
        var events = rows.Where(r => r.Event && (r.Entry is not { } e || e < r.Exit)).ToList();
        var centre = events.Average(r => 1 - Before(r.Exit));
        var ug = Vector<double>.Build.Dense(p);
        var i11 = Matrix<double>.Build.Dense(p, p);
        var i12 = Matrix<double>.Build.Dense(p, p);
        var i22 = Matrix<double>.Build.Dense(p, p);
        var beta = Vector<double>.Build.DenseOfEnumerable(fit.Terms.Select(t => t.Coef));
        data.Evaluate(beta, ties, (t, ut, vt) =>
        {
            var g = 1 - Before(t) - centre;
            ug += g * ut;
            i11 += vt;
            i12 += g * vt;
            i22 += g * g * vt;
        });
        var imat = Matrix<double>.Build.Dense(2 * p, 2 * p);
        imat.SetSubMatrix(0, 0, i11);
        imat.SetSubMatrix(0, p, i12);
        imat.SetSubMatrix(p, 0, i12.Transpose());
        imat.SetSubMatrix(p, p, i22);
        var u = Vector<double>.Build.Dense(2 * p, k => k < p ? 0 : ug[k - p]);
        ChiSquareTest Test(IReadOnlyList<int> columns)
        {
            var kk = Enumerable.Range(0, p).Concat(columns.Select(c => c + p)).ToArray();
            var sub = Matrix<double>.Build.Dense(kk.Length, kk.Length, (a, b) => imat[kk[a], kk[b]]);
            var v = Vector<double>.Build.Dense(kk.Length, a => u[kk[a]]);
            return ChiSquareTest.Of(sub.Solve(v).DotProduct(v), columns.Count);
        }
        var terms = fit.Terms.Select((t, k) => (Term: t.Name.Split('=')[0], Column: k))
            .GroupBy(x => x.Term).Select(g => (g.Key, Test(g.Select(x => x.Column).ToList()))).ToList();
        return new ProportionalHazardsTest(terms, ChiSquareTest.Of(imat.Solve(u).DotProduct(u), p));
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
        // O(n log n) with two Fenwick trees over the ranks of the linear predictor (an analyst's model may have
        // 100,000 spells: comparing every pair would be billions). Each event is compared with the rows at risk at
        // its time (the event's side), and each row with the events during its time at risk (the row's side).
        var n = rows.Count;
        var values = lp.Distinct().Order().ToArray();
        var rank = lp.Select(v => Array.BinarySearch(values, v)).ToArray();
        var num = new double[n];
        var den = new double[n];
        long concordant = 0, discordant = 0, tiedRisk = 0, tiedTime = 0;
        bool AtRiskEvent(int i) => rows[i].Event && (rows[i].Entry is not { } e || e < rows[i].Exit);
        var events = Enumerable.Range(0, n).Where(AtRiskEvent).OrderBy(i => rows[i].Exit).ToArray();
        var eventTimes = events.Select(i => rows[i].Exit).ToArray();

        // The events' side: sweep the event times, keeping the rows at risk (Entry < t ≤ Exit) in a tree.
        var atRisk = new Fenwick(values.Length);
        var byEntry = Enumerable.Range(0, n).OrderBy(i => rows[i].Entry ?? double.NegativeInfinity).ToArray();
        var byExit = Enumerable.Range(0, n).OrderBy(i => rows[i].Exit).ToArray();
        int entered = 0, exited = 0;
        for (var a = 0; a < events.Length;)
        {
            var t = eventTimes[a];
            var b = a;
            while (b < events.Length && eventTimes[b] == t) b++;
            for (; entered < n && (rows[byEntry[entered]].Entry ?? double.NegativeInfinity) < t; entered++)
                if (rows[byEntry[entered]].Exit >= t) atRisk.Add(rank[byEntry[entered]], 1);
            for (; exited < n && rows[byExit[exited]].Exit < t; exited++)
            {
                var i = byExit[exited];
                // Only rows that were added leave: those whose entry came before some event time they outlived.
                if ((rows[i].Entry ?? double.NegativeInfinity) < rows[i].Exit && Added(i)) atRisk.Add(rank[i], -1);
            }
            // Pairs of events at the same time are not compared.
            for (var k = a; k < b; k++) atRisk.Add(rank[events[k]], -1);
            var total = atRisk.Total;
            for (var k = a; k < b; k++)
            {
                var i = events[k];
                long less = atRisk.Prefix(rank[i] - 1), equal = atRisk.Count(rank[i]);
                concordant += less;
                discordant += total - less - equal;
                tiedRisk += equal;
                num[i] += less + equal / 2.0;
                den[i] += total;
            }
            tiedTime += (long)(b - a) * (b - a - 1) / 2;
            for (var k = a; k < b; k++) atRisk.Add(rank[events[k]], 1);
            a = b;
        }

        // The rows' side: for row j, the events in (Entry, Exit] (before Exit when j is itself an event there),
        // counted as differences of prefixes of the events in time order.
        var prefixQueries = new List<(int Events, int Row, int Sign)>();
        for (var j = 0; j < n; j++)
        {
            var r = rows[j];
            if (r.Entry is { } e && e >= r.Exit) continue;
            var upper = AtRiskEvent(j)
                ? SortedSearch.LowerBound(eventTimes, r.Exit)
                : SortedSearch.UpperBound(eventTimes, r.Exit);
            var lower = r.Entry is { } en ? SortedSearch.UpperBound(eventTimes, en) : 0;
            if (upper <= lower) continue;
            prefixQueries.Add((upper, j, 1));
            prefixQueries.Add((lower, j, -1));
        }
        var seen = new Fenwick(values.Length);
        var added = 0;
        foreach (var (count, j, sign) in prefixQueries.OrderBy(q => q.Events))
        {
            for (; added < count; added++) seen.Add(rank[events[added]], 1);
            long below = seen.Prefix(rank[j] - 1), equal = seen.Count(rank[j]);
            var above = seen.Total - below - equal;
            num[j] += sign * (above + equal / 2.0);
            den[j] += sign * seen.Total;
        }

        var pairs = concordant + discordant + tiedRisk;
        if (pairs == 0) return new Concordance(double.NaN, double.NaN, 0, 0, 0, tiedTime);
        var c = (concordant + tiedRisk / 2.0) / pairs;
        var variance = 0.0;
        for (var k = 0; k < n; k++)
        {
            var influence = (num[k] - c * den[k]) / pairs;
            variance += influence * influence;
        }
        return new Concordance(c, Math.Sqrt(variance), concordant, discordant, tiedRisk, tiedTime);

        // A row is in the tree from the first event time after its entry that it is still at risk at.
        bool Added(int i)
        {
            var first = SortedSearch.UpperBound(eventTimes, rows[i].Entry ?? double.NegativeInfinity);
            return first < eventTimes.Length && eventTimes[first] <= rows[i].Exit;
        }
    }

    /// <summary>Counts by rank with prefix sums in O(log n).</summary>
    private sealed class Fenwick(int size)
    {
        private readonly long[] _tree = new long[size + 1];
        public long Total { get; private set; }

        public void Add(int rank, long delta)
        {
            Total += delta;
            for (var i = rank + 1; i <= size; i += i & -i) _tree[i] += delta;
        }

        /// <summary>How many have a rank at or below <paramref name="rank"/>.</summary>
        public long Prefix(int rank)
        {
            long sum = 0;
            for (var i = Math.Min(rank + 1, size); i > 0; i -= i & -i) sum += _tree[i];
            return sum;
        }

        public long Count(int rank) => Prefix(rank) - Prefix(rank - 1);
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
        /// <param name="perTime">
        /// Told, at each event time, its own part of the score and of the information (for the test of proportional
        /// hazards, which weighs them by a function of time).
        /// </param>
        public (double LogLik, Vector<double> U, Matrix<double> I) Evaluate(Vector<double> beta, CoxTies ties,
            Action<double, Vector<double>, Matrix<double>>? perTime = null)
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
                var (uBefore, infoBefore) = perTime is null ? (null, null) : (u.Clone(), info.Clone());
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
                perTime?.Invoke(t, u - uBefore!, info - infoBefore!);
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

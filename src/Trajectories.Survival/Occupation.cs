using MathNet.Numerics.Distributions;

namespace Trajectories.Survival;

/// <summary>
/// One stretch of a subject's follow-up spent in one state, the interval (Start, Stop], ending in a move to state
/// <see cref="To"/> at Stop or, when To is null, censored at Stop. States are indices into the model's state list.
/// A subject's episodes follow one another (the next starts where the last one moved), as R's counting-process rows.
/// </summary>
public readonly record struct StateEpisode(int Subject, double Start, double Stop, int From, int? To);

/// <summary>
/// The state occupation probabilities at one time: the probability of being in each state, its standard error and
/// 95% (or the curve's) log-transformed interval, and how many were under follow-up in each state just before.
/// </summary>
public sealed record OccupationPoint(
    double Time, IReadOnlyList<int> AtRisk, IReadOnlyList<double> Probability, IReadOnlyList<double> StdErr,
    IReadOnlyList<double?> Lower, IReadOnlyList<double?> Upper, int Moves, int Censored);

public sealed record OccupationCurve(
    IReadOnlyList<string> States, int N, IReadOnlyList<double> Initial, IReadOnlyList<double> InitialStdErr,
    IReadOnlyList<OccupationPoint> Points, double Confidence, CiTransform Transform = CiTransform.Log)
{
    /// <summary>The probabilities read at a time (a step function); null past the last observed time.</summary>
    public OccupationPoint? At(double time)
    {
        if (Points.Count == 0 || time > Points[^1].Time) return null;
        var last = Points.LastOrDefault(p => p.Time <= time);
        if (last is not null) return last;
        var (lower, upper) = Occupation.Interval(Initial, InitialStdErr, Confidence, Transform);
        return new OccupationPoint(time, Points[0].AtRisk, Initial, InitialStdErr, lower, upper, 0, 0);
    }
}

/// <summary>
/// One row of a multi-state life table (for published, protected counts): at a time, how many were under follow-up
/// in each state and how many moved from each state to each other (Moves[from][to]).
/// </summary>
public sealed record OccupationRow(double Time, IReadOnlyList<int> AtRisk, IReadOnlyList<IReadOnlyList<int>> Moves);

/// <summary>
/// Where people are over time: the Aalen-Johansen estimator of state occupation probabilities for a multi-state
/// model, p(t) = p0 · Π_{s ≤ t} (I + dA(s)), with dA(s)_jk = moves j→k at s / at risk in j at s. Subjects may start
/// in different states, enter late (counting-process rows) and move back and forth.
/// </summary>
public static class Occupation
{
    /// <summary>
    /// The estimate from subjects' episodes, as R's <c>survfit(Surv(tstart, tstop, state) ~ 1, id = id, istate = …,
    /// influence = TRUE)</c>: the initial distribution p0 is that of the subjects at risk at the first move (entered
    /// before it, still followed at it); the standard errors are the infinitesimal jackknife (the square root of the
    /// sum over subjects of each one's squared influence on p(t)), the initial distribution's influence included.
    /// R's default (influence = FALSE) leaves p0's influence out, which gives an error of 0 at the start. Points are
    /// at every distinct stop time, as R's; the interval is R's "log" one, its upper limit clipped at 1.
    /// </summary>
    public static OccupationCurve Estimate(
        IReadOnlyList<string> states, IReadOnlyList<StateEpisode> episodes, double confidence = 0.95,
        CiTransform transform = CiTransform.Log)
    {
        var k = states.Count;
        if (episodes.Count == 0)
            return new OccupationCurve(states, 0, new double[k], new double[k], [], confidence, transform);
        var subjects = episodes.Select(e => e.Subject).Distinct().ToList();
        var subjectIndex = subjects.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i);
        var times = episodes.Select(e => e.Stop).Distinct().Order().ToArray();
        var moveTimes = episodes.Where(e => e.To is not null).Select(e => e.Stop).Distinct().Order().ToArray();
        var t0 = moveTimes.Length > 0 ? moveTimes[0] : times[^1];

        var atStart = episodes.Where(e => e.Start < t0 && e.Stop >= t0).ToList();
        var n0 = atStart.Count;
        var p0 = new double[k];
        foreach (var e in atStart) p0[e.From] += 1.0 / n0;

        var steps = Steps(k, episodes, moveTimes, p0);
        var variances = Variances(k, episodes, subjectIndex, subjects.Count, atStart, p0, steps);
        var v0 = new double[k];
        foreach (var e in atStart)
            for (var j = 0; j < k; j++)
            {
                var u = ((e.From == j ? 1 : 0) - p0[j]) / n0;
                v0[j] += u * u;
            }
        var se0 = v0.Select(Math.Sqrt).ToArray();

        // At risk, moves and censorings at every reported time, in one sweep.
        var byStart = episodes.OrderBy(e => e.Start).ToArray();
        var byStop = episodes.OrderBy(e => e.Stop).ToArray();
        var atRisk = new int[k];
        int entered = 0, left = 0, step = -1;
        var points = new List<OccupationPoint>(times.Length);
        foreach (var t in times)
        {
            while (entered < byStart.Length && byStart[entered].Start < t) atRisk[byStart[entered++].From]++;
            while (left < byStop.Length && byStop[left].Stop < t) atRisk[byStop[left++].From]--;
            while (step + 1 < moveTimes.Length && moveTimes[step + 1] <= t) step++;
            var p = step < 0 ? p0 : steps[step].P;
            var se = step < 0 ? se0 : variances[step].Select(v => Math.Sqrt(Math.Max(0, v))).ToArray();
            int moves = 0, censored = 0;
            for (var i = left; i < byStop.Length && byStop[i].Stop == t; i++)
                if (byStop[i].To is null) censored++;
                else moves++;
            var (lower, upper) = Interval(p, se, confidence, transform);
            points.Add(new OccupationPoint(t, atRisk.ToArray(), p, se, lower, upper, moves, censored));
        }
        return new OccupationCurve(states, subjects.Count, p0, se0, points, confidence, transform);
    }

    /// <summary>
    /// The estimate from a life table (published counts): the initial counts per state, then rows in ascending time.
    /// Moves out of a state above its at-risk count are scaled down to it. With a data set's own rows it gives the
    /// same probabilities as <see cref="Estimate"/>. The variance cannot use subjects here, so it is the
    /// Greenwood-type one (Andersen, Borgan, Gill and Keiding 1993, IV.4): Var p(t) = Hᵀ Var p(t−) H +
    /// Σ_j p_j(t−)² Cov(dA_j), each row's moves multinomial given its at-risk count, and the initial distribution
    /// multinomial; with two states it is Greenwood's formula for Kaplan-Meier.
    /// </summary>
    public static OccupationCurve FromCounts(
        IReadOnlyList<string> states, IReadOnlyList<int> initial, IReadOnlyList<OccupationRow> rows,
        double confidence = 0.95, CiTransform transform = CiTransform.Log)
    {
        var k = states.Count;
        var n0 = initial.Sum();
        var p = new double[k];
        var v = new double[k * k];
        if (n0 > 0)
            for (var a = 0; a < k; a++)
            {
                p[a] = (double)initial[a] / n0;
                for (var b = 0; b < k; b++) v[a * k + b] = ((a == b ? p[a] : 0) - p[a] * p[b]) / n0;
            }
        var p0 = p.ToArray();
        var se0 = Diagonal(v, k);
        var points = new List<OccupationPoint>(rows.Count);
        foreach (var row in rows)
        {
            var h = Identity(k);
            var noise = new double[k * k];
            var moves = 0;
            for (var j = 0; j < k; j++)
            {
                var y = row.AtRisk[j];
                var total = Enumerable.Range(0, k).Where(x => x != j).Sum(x => Math.Max(0, row.Moves[j][x]));
                if (y <= 0 || total == 0) continue;
                var scale = total > y ? (double)y / total : 1;
                var mean = new double[k];
                var second = new double[k * k];
                for (var to = 0; to < k; to++)
                {
                    if (to == j || row.Moves[j][to] <= 0) continue;
                    var q = row.Moves[j][to] * scale / y;
                    moves += row.Moves[j][to];
                    h[j * k + to] += q;
                    h[j * k + j] -= q;
                    mean[to] += q;
                    mean[j] -= q;
                    // (e_to − e_j)ᵀ(e_to − e_j), weighted by q
                    second[to * k + to] += q;
                    second[j * k + j] += q;
                    second[to * k + j] -= q;
                    second[j * k + to] -= q;
                }
                var weight = p[j] * p[j] / y;
                for (var a = 0; a < k; a++)
                for (var b = 0; b < k; b++)
                    noise[a * k + b] += weight * (second[a * k + b] - mean[a] * mean[b]);
            }
            p = Times(p, h, k);
            v = Add(Sandwich(h, v, k), noise);
            var se = Diagonal(v, k);
            // Rounding can leave a probability at -1e-19 after moves scaled down to the at-risk count.
            var shown = p.Select(x => Math.Clamp(x, 0, 1)).ToArray();
            var (lower, upper) = Interval(shown, se, confidence, transform);
            points.Add(new OccupationPoint(row.Time, row.AtRisk, shown, se, lower, upper, moves, 0));
        }
        return new OccupationCurve(states, n0, p0, se0, points, confidence, transform);
    }

    /// <summary>
    /// R's survfit_confint: "log" (survfit's default for multi-state curves) is p·exp(±z·se/p), the upper limit
    /// clipped at 1; "log-log" is exp(−exp(log(−log p) ∓ z·se/(p·log p))). None where p is 0 (or, for log-log, 1).
    /// </summary>
    public static (double?[] Lower, double?[] Upper) Interval(
        IReadOnlyList<double> p, IReadOnlyList<double> se, double confidence, CiTransform transform = CiTransform.Log)
    {
        var z = Normal.InvCDF(0, 1, 1 - (1 - confidence) / 2);
        var lower = new double?[p.Count];
        var upper = new double?[p.Count];
        for (var j = 0; j < p.Count; j++)
        {
            if (p[j] <= 0) continue;
            var s = se[j] == 0 ? 0 : se[j] / p[j];
            if (transform == CiTransform.Log)
            {
                lower[j] = Math.Exp(Math.Log(p[j]) - z * s);
                upper[j] = Math.Min(1, Math.Exp(Math.Log(p[j]) + z * s));
            }
            else if (p[j] < 1)
            {
                var w = z * s / Math.Log(p[j]);
                lower[j] = Math.Exp(-Math.Exp(Math.Log(-Math.Log(p[j])) - w));
                upper[j] = Math.Exp(-Math.Exp(Math.Log(-Math.Log(p[j])) + w));
            }
        }
        return (lower, upper);
    }

    /// <summary>
    /// One move time's step: H = I + dA, the probabilities after it, and what each subject's influence gains there:
    /// C[j] for everyone at risk in j (−p_j(t−)·dA_j / Y_j), Move[j][to] for a move j→to (p_j(t−)(e_to − e_j) / Y_j).
    /// </summary>
    private sealed record Step(
        double Time, double[] H, double[] P, double[][] C, int[] AtRisk, int[,] Moves, double[] Before);

    private static Step[] Steps(int k, IReadOnlyList<StateEpisode> episodes, double[] moveTimes, double[] p0)
    {
        var byStart = episodes.OrderBy(e => e.Start).ToArray();
        var byStop = episodes.OrderBy(e => e.Stop).ToArray();
        var atRisk = new int[k];
        int entered = 0, left = 0;
        var steps = new Step[moveTimes.Length];
        var p = p0;
        for (var m = 0; m < moveTimes.Length; m++)
        {
            var t = moveTimes[m];
            while (entered < byStart.Length && byStart[entered].Start < t) atRisk[byStart[entered++].From]++;
            while (left < byStop.Length && byStop[left].Stop < t) atRisk[byStop[left++].From]--;
            var moves = new int[k, k];
            for (var i = left; i < byStop.Length && byStop[i].Stop == t; i++)
                if (byStop[i].To is { } to) moves[byStop[i].From, to]++;
            var h = Identity(k);
            var c = new double[k][];
            for (var j = 0; j < k; j++)
            {
                c[j] = new double[k];
                if (atRisk[j] == 0) continue;
                for (var to = 0; to < k; to++)
                {
                    if (to == j || moves[j, to] == 0) continue;
                    var q = (double)moves[j, to] / atRisk[j];
                    h[j * k + to] += q;
                    h[j * k + j] -= q;
                    c[j][to] -= p[j] * q / atRisk[j];
                    c[j][j] += p[j] * q / atRisk[j];
                }
            }
            var before = p;
            p = Times(p, h, k);
            steps[m] = new Step(t, h, p, c, atRisk.ToArray(), moves, before);
        }
        return steps;
    }

    /// <summary>
    /// The infinitesimal-jackknife variance of p at each move time, Σ_i U_i(t)², without keeping every subject's
    /// influence up to date at every time (that is n × times): V(t) = Hᵀ V(t−) H + Hᵀ X + Xᵀ H + B, where X sums each
    /// subject's influence just before t against what it gains at t (for everyone at risk in a state, from a running
    /// sum per state; for movers, from their own influence) and B sums the squares of the gains. A subject's own
    /// influence is brought forward only when it moves, enters or leaves, by composing the steps in between
    /// (u ↦ u·H + C[state]) with a segment tree, in O(log times) matrix products.
    /// </summary>
    private static double[][] Variances(
        int k, IReadOnlyList<StateEpisode> episodes, Dictionary<int, int> subjectIndex, int subjectCount,
        List<StateEpisode> atStart, double[] p0, Step[] steps)
    {
        var result = new double[steps.Length][];
        if (steps.Length == 0) return result;
        var tree = new StepTree(k, steps);
        var n0 = atStart.Count;
        var u = new double[subjectCount][];
        var upTo = new int[subjectCount];
        var state = new int[subjectCount];
        Array.Fill(upTo, -1);
        Array.Fill(state, -1);
        for (var i = 0; i < subjectCount; i++) u[i] = new double[k];
        var v = new double[k * k];
        foreach (var e in atStart)
        {
            var i = subjectIndex[e.Subject];
            for (var j = 0; j < k; j++) u[i][j] = ((e.From == j ? 1 : 0) - p0[j]) / n0;
            AddOuter(v, u[i], u[i], k, 1);
        }

        // Brings subject i's influence forward to just after step m.
        double[] Forward(int i, int m)
        {
            if (m > upTo[i])
            {
                u[i] = tree.Apply(u[i], upTo[i] + 1, m, state[i]);
                upTo[i] = m;
            }
            return u[i];
        }

        var w = new double[k][];
        for (var j = 0; j < k; j++) w[j] = new double[k];
        var byStart = episodes.OrderBy(e => e.Start).ToArray();
        var byStop = episodes.OrderBy(e => e.Stop).ToArray();
        int entered = 0, stopped = 0;
        for (var m = 0; m < steps.Length; m++)
        {
            var step = steps[m];
            var t = step.Time;
            while (entered < byStart.Length && byStart[entered].Start < t)
            {
                var e = byStart[entered++];
                var i = subjectIndex[e.Subject];
                var value = Forward(i, m - 1);
                state[i] = e.From;
                Accumulate(w[e.From], value, 1);
            }
            // Censored between the last move time and this one (every move before t was a step of its own).
            while (stopped < byStop.Length && byStop[stopped].Stop < t)
            {
                var e = byStop[stopped++];
                var i = subjectIndex[e.Subject];
                Accumulate(w[e.From], Forward(i, m - 1), -1);
                state[i] = -1;
            }
            var here = new List<StateEpisode>();
            while (stopped < byStop.Length && byStop[stopped].Stop == t) here.Add(byStop[stopped++]);

            var x = new double[k * k];
            for (var j = 0; j < k; j++) AddOuter(x, w[j], step.C[j], k, 1);
            var b = new double[k * k];
            for (var j = 0; j < k; j++)
            {
                var stay = step.AtRisk[j];
                for (var to = 0; to < k; to++) stay -= step.Moves[j, to];
                if (stay > 0) AddOuter(b, step.C[j], step.C[j], k, stay);
            }
            var movers = new List<(int Subject, int From, double[] Before, double[] Move, double[] Gain)>();
            foreach (var e in here.Where(e => e.To is not null))
            {
                var i = subjectIndex[e.Subject];
                var before = Forward(i, m - 1);
                var move = new double[k];
                move[e.To!.Value] += step.Before[e.From] / step.AtRisk[e.From];
                move[e.From] -= step.Before[e.From] / step.AtRisk[e.From];
                var gain = move.ToArray();
                Accumulate(gain, step.C[e.From], 1);
                AddOuter(x, before, move, k, 1);
                AddOuter(b, gain, gain, k, 1);
                movers.Add((i, e.From, before, move, gain));
            }
            var hx = TransposeTimes(step.H, x, k);
            v = Add(Add(Sandwich(step.H, v, k), Add(hx, Transpose(hx, k))), b);
            result[m] = Enumerable.Range(0, k).Select(j => v[j * k + j]).ToArray();

            // Everyone at risk in j moved forward by the step; movers also gained their move, and leave.
            for (var j = 0; j < k; j++)
            {
                var next = Times(w[j], step.H, k);
                Accumulate(next, step.C[j], step.AtRisk[j]);
                w[j] = next;
            }
            foreach (var (i, from, before, move, gain) in movers)
            {
                var after = Times(before, step.H, k);
                Accumulate(after, gain, 1);
                Accumulate(w[from], move, 1);
                Accumulate(w[from], after, -1);
                u[i] = after;
                upTo[i] = m;
                state[i] = -1;
            }
            foreach (var e in here.Where(e => e.To is null))
            {
                var i = subjectIndex[e.Subject];
                Accumulate(w[e.From], Forward(i, m), -1);
                state[i] = -1;
            }
        }
        return result;
    }

    /// <summary>Composed steps u ↦ u·M + V[state] over a range of move times, to bring influences forward.</summary>
    private sealed class StepTree
    {
        private readonly int _k;
        private readonly int _size;
        private readonly (double[] M, double[][] V)[] _nodes;

        public StepTree(int k, Step[] steps)
        {
            _k = k;
            _size = steps.Length;
            _nodes = new (double[], double[][])[4 * Math.Max(1, _size)];
            Build(1, 0, _size - 1, steps);
        }

        private void Build(int node, int lo, int hi, Step[] steps)
        {
            if (lo == hi)
            {
                _nodes[node] = (steps[lo].H, steps[lo].C);
                return;
            }
            var mid = (lo + hi) / 2;
            Build(2 * node, lo, mid, steps);
            Build(2 * node + 1, mid + 1, hi, steps);
            _nodes[node] = Compose(_nodes[2 * node], _nodes[2 * node + 1]);
        }

        private (double[] M, double[][] V) Compose((double[] M, double[][] V) first, (double[] M, double[][] V) then)
        {
            var v = new double[_k][];
            for (var j = 0; j < _k; j++)
            {
                v[j] = Times(first.V[j], then.M, _k);
                Accumulate(v[j], then.V[j], 1);
            }
            return (Multiply(first.M, then.M, _k), v);
        }

        /// <summary>u taken through steps from..to (inclusive) while in a state (−1: not at risk, H only).</summary>
        public double[] Apply(double[] u, int from, int to, int state)
        {
            if (from > to) return u;
            return Walk(1, 0, _size - 1, from, to, u, state);
        }

        private double[] Walk(int node, int lo, int hi, int from, int to, double[] u, int state)
        {
            if (to < lo || hi < from) return u;
            if (from <= lo && hi <= to)
            {
                var (m, v) = _nodes[node];
                var next = Times(u, m, _k);
                if (state >= 0) Accumulate(next, v[state], 1);
                return next;
            }
            var mid = (lo + hi) / 2;
            return Walk(2 * node + 1, mid + 1, hi, from, to, Walk(2 * node, lo, mid, from, to, u, state), state);
        }
    }

    private static double[] Identity(int k)
    {
        var m = new double[k * k];
        for (var j = 0; j < k; j++) m[j * k + j] = 1;
        return m;
    }

    /// <summary>Row vector times matrix.</summary>
    private static double[] Times(double[] u, double[] m, int k)
    {
        var r = new double[k];
        for (var a = 0; a < k; a++)
        {
            if (u[a] == 0) continue;
            for (var b = 0; b < k; b++) r[b] += u[a] * m[a * k + b];
        }
        return r;
    }

    private static double[] Multiply(double[] x, double[] y, int k)
    {
        var r = new double[k * k];
        for (var a = 0; a < k; a++)
        for (var c = 0; c < k; c++)
        {
            var xa = x[a * k + c];
            if (xa == 0) continue;
            for (var b = 0; b < k; b++) r[a * k + b] += xa * y[c * k + b];
        }
        return r;
    }

    private static double[] Transpose(double[] x, int k)
    {
        var r = new double[k * k];
        for (var a = 0; a < k; a++)
        for (var b = 0; b < k; b++) r[b * k + a] = x[a * k + b];
        return r;
    }

    /// <summary>Hᵀ X.</summary>
    private static double[] TransposeTimes(double[] h, double[] x, int k) => Multiply(Transpose(h, k), x, k);

    /// <summary>Hᵀ V H.</summary>
    private static double[] Sandwich(double[] h, double[] v, int k) =>
        Multiply(Multiply(Transpose(h, k), v, k), h, k);

    private static double[] Add(double[] x, double[] y)
    {
        var r = new double[x.Length];
        for (var i = 0; i < x.Length; i++) r[i] = x[i] + y[i];
        return r;
    }

    private static void Accumulate(double[] into, double[] x, double times)
    {
        for (var i = 0; i < into.Length; i++) into[i] += times * x[i];
    }

    /// <summary>into += times · aᵀ b.</summary>
    private static void AddOuter(double[] into, double[] a, double[] b, int k, double times)
    {
        for (var r = 0; r < k; r++)
        {
            if (a[r] == 0) continue;
            for (var c = 0; c < k; c++) into[r * k + c] += times * a[r] * b[c];
        }
    }

    private static double[] Diagonal(double[] v, int k)
    {
        var r = new double[k];
        for (var j = 0; j < k; j++) r[j] = Math.Sqrt(Math.Max(0, v[j * k + j]));
        return r;
    }
}

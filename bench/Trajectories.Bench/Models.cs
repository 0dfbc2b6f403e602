using System.Diagnostics;
using System.Text;
using Trajectories.Survival;

namespace Trajectories.Bench;

/// <summary>
/// What a Cox model costs (issue 17, ADR 16), in process: synthetic spells (20% with delayed entry, ties in whole
/// days) with 0/1 terms, fitted with Efron ties (fit and concordance), then R's cox.zph test; three runs each,
/// median with min and max. This is what bounds the model endpoint's terms (CoxDesign.MaxTerms).
/// </summary>
public static class Models
{
    public static string Run(int runs)
    {
        var table = new StringBuilder("| spells | terms | events | fit + concordance, ms (min-max) | cox.zph, ms |\n");
        table.Append("|---|---|---|---|---|\n");
        foreach (var (n, p) in new[] { (10_000, 12), (100_000, 12), (100_000, 30), (100_000, 40) })
        {
            var rows = Rows(n, p);
            var names = Enumerable.Range(0, p).Select(j => $"x{j}").ToList();
            CoxRegression.Fit(Rows(2_000, p), names);                  // warm: JIT
            var fits = new List<double>();
            var tests = new List<double>();
            var events = 0;
            for (var r = 0; r < runs; r++)
            {
                var watch = Stopwatch.StartNew();
                var fit = CoxRegression.Fit(rows, names);
                fits.Add(watch.Elapsed.TotalMilliseconds);
                watch.Restart();
                CoxRegression.ProportionalHazards(rows, fit);
                tests.Add(watch.Elapsed.TotalMilliseconds);
                events = fit.Events;
            }
            fits.Sort();
            tests.Sort();
            table.Append($"| {n:N0} | {p} | {events:N0} | {fits[runs / 2]:F0} ({fits[0]:F0}-{fits[^1]:F0}) | " +
                         $"{tests[runs / 2]:F0} |\n");
        }
        return table.ToString();
    }

    private static List<CoxRow> Rows(int n, int p)
    {
        var random = new Random(1);
        return Enumerable.Range(0, n).Select(_ =>
        {
            var x = Enumerable.Range(0, p).Select(_ => random.NextDouble() < 0.3 ? 1.0 : 0.0).ToArray();
            var rate = Math.Exp(0.3 * x[0] - 0.2 * x[1]) / 400;
            var t = Math.Round(-Math.Log(random.NextDouble()) / rate) + 1;
            var censor = random.Next(30, 2000);
            double? entry = random.NextDouble() < 0.2 ? random.Next(0, 20) : null;
            return new CoxRow(entry, Math.Max(Math.Min(t, censor), (entry ?? 0) + 1), t <= censor, x);
        }).ToList();
    }
}

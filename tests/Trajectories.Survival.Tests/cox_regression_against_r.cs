namespace Trajectories.Survival.Tests;

/// <summary>
/// Cox models against R's coxph (tests/reference/survival-reference.R): lung (a three-level factor, ties), veteran
/// (a four-level factor with a named reference), delayed entry, and heart (counting-process rows: transplant is a
/// time-varying covariate), each with Efron and Breslow ties.
/// </summary>
public class cox_regression_against_r
{
    /// <summary>A data set as Cox rows, each categorical column one 0/1 term per level but the reference.</summary>
    public static (List<CoxRow> Rows, List<string> Names) Data(string dataset)
    {
        (string File, string? Entry, string Exit, string Status, string[] Numeric, (string, string)[] Categorical)
            spec = dataset switch
            {
                "lung" => ("cox_lung.csv", null, "time", "status", ["age", "female"], [("ecog", "0")]),
                "veteran" => ("cox_veteran.csv", null, "time", "status", ["karno", "treated"],
                    [("celltype", "squamous")]),
                "delayed" => ("cox_delayed.csv", "entry", "time", "status", ["x"], [("group", "a")]),
                "heart" => ("cox_heart.csv", "start", "stop", "event", ["age", "year", "surgery", "transplant"], []),
                _ => throw new ArgumentException(dataset),
            };
        var (file, entry, exit, status, numeric, categorical) = spec;
        var input = Reference.Read(file);
        var levels = categorical.Select(c => (c.Item1, Levels: input.Select(r => r[c.Item1]).Distinct()
            .Where(l => l != c.Item2).Order(StringComparer.Ordinal).ToList())).ToList();
        // R's order: the formula's order (numeric before the factor for lung and veteran; group before x for delayed).
        var names = new List<string>();
        if (dataset == "delayed") names.AddRange(levels.SelectMany(l => l.Levels.Select(v => $"{l.Item1}={v}")));
        names.AddRange(numeric);
        if (dataset != "delayed") names.AddRange(levels.SelectMany(l => l.Levels.Select(v => $"{l.Item1}={v}")));
        var rows = input.Select(r => new CoxRow(entry is null ? null : r.Num(entry), r.Num(exit), r[status] == "1",
            names.Select(n => n.Contains('=')
                ? r[n.Split('=')[0]] == n.Split('=')[1] ? 1.0 : 0.0
                : r.Num(n)).ToArray())).ToList();
        return (rows, names);
    }

    /// <summary>Every reference data set with both tie methods.</summary>
    public static TheoryData<string, string> Fits()
    {
        var fits = new TheoryData<string, string>();
        foreach (var dataset in new[] { "lung", "veteran", "delayed", "heart" })
        foreach (var ties in new[] { "efron", "breslow" })
            fits.Add(dataset, ties);
        return fits;
    }

    [Theory]
    [MemberData(nameof(Fits))]
    public void coefficients_tests_and_concordance_match_coxph(string dataset, string ties)
    {
        var (rows, names) = Data(dataset);
        var fit = CoxRegression.Fit(rows, names, ties == "efron" ? CoxTies.Efron : CoxTies.Breslow);
        var want = Reference.Read("cox_fits.csv").Single(r => r["dataset"] == dataset && r["ties"] == ties);
        Assert.Equal((int)want.Num("n"), fit.N);
        Assert.Equal((int)want.Num("events"), fit.Events);
        Assert.Equal(want.Num("loglik0"), fit.LogLikNull, 1e-6);
        Assert.Equal(want.Num("loglik"), fit.LogLik, 1e-6);
        Assert.Equal(want.Num("lr"), fit.LikelihoodRatio.ChiSquare, 1e-6);
        Assert.Equal((int)want.Num("df"), fit.LikelihoodRatio.DegreesOfFreedom);
        Assert.Equal(want.Num("wald"), fit.Wald.ChiSquare, 1e-6);
        Assert.Equal(want.Num("score"), fit.Score.ChiSquare, 1e-6);
        Assert.Equal(want.Num("concordance"), fit.Concordance.Value, 1e-6);
        Assert.Equal(want.Num("concordance_se"), fit.Concordance.Se, 1e-6);
        var terms = Reference.Read("cox_terms.csv").Where(r => r["dataset"] == dataset && r["ties"] == ties).ToList();
        Assert.Equal(terms.Select(t => t["term"]), fit.Terms.Select(t => t.Name));
        foreach (var (w, got) in terms.Zip(fit.Terms))
        {
            Assert.Equal(w.Num("coef"), got.Coef, 1e-6);
            Assert.Equal(w.Num("se"), got.Se, 1e-6);
            Assert.Equal(w.Num("z"), got.Z, 1e-6);
            Assert.Equal(w.Num("p"), got.P, Math.Max(1e-9, w.Num("p") * 1e-5));
            Assert.Equal(Math.Exp(w.Num("coef")), got.HazardRatio, 1e-6);
        }
    }
}

public class proportional_hazards_test_against_r
{
    [Theory]
    [MemberData(nameof(cox_regression_against_r.Fits), MemberType = typeof(cox_regression_against_r))]
    public void the_test_per_term_and_global_matches_cox_zph(string dataset, string ties)
    {
        var (rows, names) = cox_regression_against_r.Data(dataset);
        var method = ties == "efron" ? CoxTies.Efron : CoxTies.Breslow;
        var zph = CoxRegression.ProportionalHazards(rows, CoxRegression.Fit(rows, names, method), method);
        var want = Reference.Read("cox_zph.csv").Where(r => r["dataset"] == dataset && r["ties"] == ties).ToList();
        var got = zph.Terms.Append(("GLOBAL", zph.Global)).ToList();
        Assert.Equal(want.Select(w => w["term"]), got.Select(g => g.Item1));
        foreach (var (w, (_, test)) in want.Zip(got))
        {
            Assert.Equal(w.Num("chisq"), test.ChiSquare, 1e-6);
            Assert.Equal((int)w.Num("df"), test.DegreesOfFreedom);
            Assert.Equal(w.Num("p"), test.P, 1e-6);
        }
    }
}

public class cox_regression_edge_cases
{
    private static List<CoxRow> Rows(Func<int, double[]> x) => Enumerable.Range(0, 40)
        .Select(i => new CoxRow(null, 10 + i % 13 * 7, i % 3 != 0, x(i))).ToList();

    [Fact]
    public void a_term_that_repeats_another_is_refused_naming_it()
    {
        var e = Assert.Throws<CoxFitException>(() =>
            CoxRegression.Fit(Rows(i => [i % 2, i % 2, i % 5]), ["a", "copy of a", "b"]));
        Assert.Equal("collinear-covariate", e.Rule);
        Assert.Equal(1, e.Column);
    }

    [Fact]
    public void a_term_without_variation_is_refused_naming_it()
    {
        var e = Assert.Throws<CoxFitException>(() => CoxRegression.Fit(Rows(i => [i % 2, 1]), ["a", "constant"]));
        Assert.Equal(1, e.Column);
    }

    [Fact]
    public void a_level_in_which_nobody_left_has_no_finite_estimate()
    {
        // Rows with x = 1 never have an event: the likelihood rises without bound as its coefficient falls.
        var rows = Enumerable.Range(0, 40).Select(i => new CoxRow(null, 10 + i, i % 4 == 2, [i % 2, i % 7])).ToList();
        var e = Assert.Throws<CoxFitException>(() => CoxRegression.Fit(rows, ["never left", "other"]));
        Assert.Equal("monotone-likelihood", e.Rule);
        Assert.Equal(0, e.Column);
    }

    [Fact]
    public void no_events_is_refused() =>
        Assert.Equal("no-events", Assert.Throws<CoxFitException>(() => CoxRegression.Fit(
            Enumerable.Range(0, 5).Select(i => new CoxRow(null, i + 1, false, [i])).ToList(), ["x"])).Rule);
}

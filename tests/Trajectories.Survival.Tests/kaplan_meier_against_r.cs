namespace Trajectories.Survival.Tests;

/// <summary>Every point of R's survfit (summary with censored = TRUE) within 1e-8: aml, lung, delayed entry.</summary>
public class kaplan_meier_against_r
{
    private const double Tolerance = 1e-8;

    private static IEnumerable<(string Dataset, string Group, CiTransform Transform, List<Observation> Data)> Cases()
    {
        foreach (var (dataset, file, grouped) in new[]
            {
                ("aml", "aml.csv", true), ("lung", "lung.csv", true), ("lung-all", "lung.csv", false),
                ("delayed", "delayed.csv", false)
            })
        {
            var byGroup = Reference.Observations(file);
            var transforms = Reference.Read("km.csv").Where(r => r["dataset"] == dataset).Select(r => r["transform"])
                .Distinct();
            foreach (var t in transforms)
                if (grouped) foreach (var (g, data) in byGroup) yield return (dataset, g, Reference.Transform(t), data);
                else yield return (dataset, "all", Reference.Transform(t), byGroup.Values.SelectMany(x => x).ToList());
        }
    }

    public static TheoryData<string, string, string> Curves()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var c in Cases()) data.Add(c.Dataset, c.Group, c.Transform == CiTransform.Log ? "log" : "log-log");
        return data;
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void every_point_matches_survfit(string dataset, string group, string transform)
    {
        var input = Cases()
            .Single(c => c.Dataset == dataset && c.Group == group && c.Transform == Reference.Transform(transform))
            .Data;
        var curve = KaplanMeier.Estimate(input, Reference.Transform(transform));
        var expected = Reference.Read("km.csv")
            .Where(r => r["dataset"] == dataset && r["group"] == group && r["transform"] == transform).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, curve.Points.Count);
        foreach (var (want, got) in expected.Zip(curve.Points))
        {
            Assert.Equal(want.Num("time"), got.Time);
            Assert.Equal((int)want.Num("n_risk"), got.AtRisk);
            Assert.Equal((int)want.Num("n_event"), got.Events);
            Assert.Equal((int)want.Num("n_censor"), got.Censored);
            Assert.Equal(want.Num("surv"), got.Survival, Tolerance);
            // R leaves the log-log interval empty where S = 1 (no event yet); we give [1, 1] there.
            if (want.NumOrNull("lower") is { } lower) Assert.Equal(lower, got.Lower!.Value, Tolerance);
            else if (got.Survival < 1) Assert.Null(got.Lower);
            if (want.NumOrNull("upper") is { } upper) Assert.Equal(upper, got.Upper!.Value, Tolerance);
            else if (got.Survival < 1) Assert.Null(got.Upper);
        }
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void the_median_and_its_interval_match_survfit(string dataset, string group, string transform)
    {
        var input = Cases()
            .Single(c => c.Dataset == dataset && c.Group == group && c.Transform == Reference.Transform(transform))
            .Data;
        var median = KaplanMeier.Estimate(input, Reference.Transform(transform)).Median();
        var want = Reference.Read("median.csv")
            .Single(r => r["dataset"] == dataset && r["group"] == group && r["transform"] == transform);
        Assert.Equal(want.NumOrNull("median"), median.Time);
        Assert.Equal(want.NumOrNull("lower"), median.Lower);
        Assert.Equal(want.NumOrNull("upper"), median.Upper);
    }
}

public class restricted_mean_against_r
{
    [Theory]
    [InlineData("aml", "aml.csv")]
    [InlineData("lung", "lung.csv")]
    [InlineData("delayed", "delayed.csv")]
    public void the_restricted_mean_and_its_se_match_print_rmean(string dataset, string file)
    {
        var input = Reference.Observations(file);
        if (dataset == "delayed") input = new() { ["all"] = input.Values.SelectMany(x => x).ToList() };
        var rows = Reference.Read("rmean.csv").Where(r => r["dataset"] == dataset).ToList();
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            var curve = KaplanMeier.Estimate(input[row["group"]]);
            var (mean, se) = curve.RestrictedMean(row.Num("tau"));
            Assert.Equal(row.Num("rmean"), mean, 1e-8);
            Assert.Equal(row.Num("se"), se, 1e-8);
        }
    }
}

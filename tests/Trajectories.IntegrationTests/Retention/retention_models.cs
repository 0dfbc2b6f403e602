using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Trajectories.Careers;
using Trajectories.Retention;
using Trajectories.Retention.Facts;
using Trajectories.Retention.Models;
using Trajectories.Survival;

namespace Trajectories.IntegrationTests.Retention;

/// <summary>
/// Cox models over HTTP (issue 17): the answer equals the library's fit on the same spells, for admins exactly and
/// for analysts (from the release) in every estimate, with protected counts and the disclosure rule of ADR 16.
/// </summary>
public class retention_models(DisclosureFixture service) : IClassFixture<DisclosureFixture>
{
    private const string AsOf = "2024-12-31";   // a year end: what analysts get inside a release

    private async Task<JsonObject> Get(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} " +
                                                  await response.Content.ReadAsStringAsync());
        return (await response.Json()).AsObject();
    }

    /// <summary>The library's fit on the spells the service would model, computed here from the stored facts.</summary>
    private async Task<(CoxFit Fit, IReadOnlyList<CovariateView> Covariates, List<CoxRow> Rows)> Library(
        Measure measure, string[] covariates, Func<Spell, bool> filter)
    {
        await using var session = service.Store.QuerySession();
        var facts = await session.Query<RetentionFacts>().ToListAsync();
        var asOf = DateOnly.Parse(AsOf);
        var spells = facts.SelectMany(f => Spells.For(measure, f, asOf, _ => 0)).Where(filter)
            .Where(s => s.Observation.Entry is not { } e || e < s.Observation.Exit).ToList();
        var (views, terms, rows, rejection) = CoxDesign.Build(spells, covariates,
            CoxDesign.Levels(new CareerLadder()));
        Assert.Null(rejection);
        return (CoxRegression.Fit(rows, terms), views, rows);
    }

    [Theory]
    [InlineData("peer-work", "credential,rural,fullTime")]
    [InlineData("first-peer-job", "state,credential,mhpsa")]
    [InlineData("job", "jobType,rural")]
    [InlineData("job", "jobType,wage")]
    [InlineData("peer-work", "wage,rural")]
    public async Task the_model_over_http_is_the_librarys_fit_on_the_same_spells(string measure, string covariates)
    {
        var m = measure switch { "peer-work" => Measure.PeerWork, "first-peer-job" => Measure.FirstPeerJob,
            _ => Measure.Job };
        var (fit, views, rows) = await Library(m, covariates.Split(','), _ => true);
        var url = $"/api/retention/{measure}/model?covariates={covariates}&asOf={AsOf}";
        var exact = await Get(service.Client, url);
        var safe = await Get(service.Analyst, url);
        Assert.Equal(fit.N, exact["n"]!.GetValue<int>());
        Assert.Equal(fit.Events, exact["events"]!.GetValue<int>());
        Assert.Equal("efron", exact["ties"]!.GetValue<string>());
        AssertAnswers(fit, exact, 1e-9, rows);
        Assert.Equal(views.Select(v => v.Reference),
            exact["covariates"]!.AsArray().Select(c => c!["reference"]!.GetValue<string>()));
        // The analyst's: the library's fit on the design the answer names (levels too small for a term of their
        // own folded into the reference), rounded.
        var analystFit = await AnalystDesignFit(m, safe, _ => true);
        AssertAnswers(analystFit.Fit, safe, 5e-4, analystFit.Rows);
        Assert.Equal("cell-key", safe["protection"]!["method"]!.GetValue<string>());
        // The analyst's counts are protected cells: near the truth, never below the minimum.
        Assert.InRange(safe["n"]!.GetValue<int>(), fit.N - 4, fit.N + 4);
        Assert.Equal("exact", exact["protection"]!["method"]!.GetValue<string>());

        var csv = await service.Analyst.GetStringAsync(url + "&format=csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("term,covariate,level,reference,coef", lines[0]);
        Assert.Equal(analystFit.Fit.Terms.Count + 1, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.EndsWith(",cell-key", l.TrimEnd('\r')));
    }

    [Theory]
    [InlineData("peer-work", "promoted,fullTime,credential")]
    [InlineData("job", "promoted,jobType,rural")]
    [InlineData("job", "promoted,wage")]
    public async Task a_time_varying_model_is_the_librarys_fit_on_the_same_episodes(string measure, string covariates)
    {
        var m = measure == "job" ? Measure.Job : Measure.PeerWork;
        await using var session = service.Store.QuerySession();
        var facts = await session.Query<RetentionFacts>().ToListAsync();
        var ladder = new CareerLadder();
        var spells = facts.SelectMany(f => Episodes.For(m, f, DateOnly.Parse(AsOf), ladder)).Where(g => g.Count > 0)
            .ToList();
        var episodes = spells.SelectMany(g => g).ToList();
        Assert.True(episodes.Count > spells.Count, "the cohort should have changes of terms to split at");
        var (_, terms, rows, rejection) = CoxDesign.Build(episodes, covariates.Split(','), CoxDesign.Levels(ladder));
        Assert.Null(rejection);
        var fit = CoxRegression.Fit(rows, terms);
        var answer = await Get(service.Client,
            $"/api/retention/{measure}/model?covariates={covariates}&timeVarying=true&asOf={AsOf}");
        Assert.True(answer["timeVarying"]!.GetValue<bool>());
        Assert.Equal(spells.Count, answer["n"]!.GetValue<int>());
        Assert.Equal(episodes.Count, answer["episodes"]!.GetValue<int>());
        Assert.Equal(fit.Terms.Select(t => t.Name),
            answer["terms"]!.AsArray().Select(t => t!["term"]!.GetValue<string>()));
        foreach (var (want, got) in fit.Terms.Zip(answer["terms"]!.AsArray()))
        {
            Assert.Equal(want.Coef, got!["coef"]!.GetValue<double>(), 1e-9);
            Assert.Equal(want.Se, got["se"]!.GetValue<double>(), 1e-9);
        }
        var safe = await Get(service.Analyst,
            $"/api/retention/{measure}/model?covariates={covariates}&timeVarying=true&asOf={AsOf}");
        Assert.Null(safe["episodes"]?.GetValue<int?>());
        // Rounded to three decimals for analysts, wherever the term is one of theirs too (and the model's wage is
        // not coarsened: analysts' wages are whole dollars, so a model with it differs in every term).
        foreach (var t in safe["terms"]!.AsArray())
            if (!covariates.Contains("wage")
                && fit.Terms.FirstOrDefault(w => w.Name == t!["term"]!.GetValue<string>()) is { } same
                && answer["covariates"]!.ToJsonString() == safe["covariates"]!.ToJsonString())
                Assert.Equal(Math.Round(same.Coef, 3), t!["coef"]!.GetValue<double>(), 1e-12);
    }

    private static void AssertAnswers(CoxFit fit, JsonObject answer, double tolerance, List<CoxRow> rows)
    {
        var terms = answer["terms"]!.AsArray();
        Assert.Equal(fit.Terms.Select(t => t.Name), terms.Select(t => t!["term"]!.GetValue<string>()));
        foreach (var (want, got) in fit.Terms.Zip(terms))
        {
            Assert.Equal(want.Coef, got!["coef"]!.GetValue<double>(), tolerance);
            Assert.Equal(want.Se, got["se"]!.GetValue<double>(), tolerance);
            Assert.Equal(want.P, got["p"]!.GetValue<double>(), Math.Max(tolerance, want.P * 5e-3));
        }
        Assert.Equal(fit.LikelihoodRatio.ChiSquare, answer["likelihoodRatio"]!["chiSquare"]!.GetValue<double>(),
            Math.Max(tolerance, 5e-3));
        Assert.Equal(fit.Score.ChiSquare, answer["score"]!["chiSquare"]!.GetValue<double>(),
            Math.Max(tolerance, 5e-3));
        Assert.Equal(fit.Concordance.Value, answer["concordance"]!["value"]!.GetValue<double>(), tolerance);
        var zph = CoxRegression.ProportionalHazards(rows, fit);
        Assert.Equal(zph.Terms.Select(t => t.Term), answer["proportionalHazards"]!["terms"]!.AsArray()
            .Select(t => t!["covariate"]!.GetValue<string>()));
        Assert.Equal(zph.Global.ChiSquare, answer["proportionalHazards"]!["global"]!["chiSquare"]!.GetValue<double>(),
            Math.Max(tolerance, 5e-3));
    }

    /// <summary>The library's fit on the spells the service models, coded as an analyst's answer names them.</summary>
    private async Task<(CoxFit Fit, List<CoxRow> Rows)> AnalystDesignFit(
        Measure measure, JsonObject answer, Func<Spell, bool> filter)
    {
        await using var session = service.Store.QuerySession();
        var facts = await session.Query<RetentionFacts>().ToListAsync();
        var spells = facts.SelectMany(f => Spells.For(measure, f, DateOnly.Parse(AsOf), _ => 0)).Where(filter)
            .Where(s => s.Observation.Entry is not { } e || e < s.Observation.Exit).ToList();
        var views = answer["covariates"]!.AsArray().Select(c => new CovariateView(c!["name"]!.GetValue<string>(),
            c["reference"]!.GetValue<string>(), c["levels"]!.AsArray().Select(l => l!.GetValue<string>()).ToList())
            {
                Continuous = c["continuous"]!.GetValue<bool>(),
                Coding = c["coding"] is { } coding
                    ? new WageCoding(coding["low"]!.GetValue<double>(), coding["high"]!.GetValue<double>())
                    : null,
            }).ToList();
        // Analysts' models take the wage in whole dollars between $10 and $40 (ADR 16).
        var (_, terms, rows, rejection) = CoxDesign.Code(spells, views, CoxDesign.Levels(new CareerLadder()),
            CoxDesign.CoarseWage);
        Assert.Null(rejection);
        return (CoxRegression.Fit(rows, terms), rows);
    }

    [Fact]
    public async Task an_analysts_wage_needs_two_large_wage_bands_and_says_how_it_was_coded()
    {
        // A narrow group: too few people per $5 band for the wage to be a term (a lone differently paid person's
        // outcome was readable off its coefficient's sign).
        var narrow = await service.Analyst.GetAsync(
            $"/api/retention/peer-work/model?covariates=wage&state=GA&credential=family-peer&asOf={AsOf}");
        await narrow.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "too-few-levels");
        Assert.Contains("$5 wage bands", await narrow.Content.ReadAsStringAsync());
        var wide = await Get(service.Analyst, $"/api/retention/job/model?covariates=wage&asOf={AsOf}");
        var coding = wide["covariates"]!.AsArray().Single()!["coding"]!;
        Assert.True(coding["low"]!.GetValue<double>() >= 10 && coding["high"]!.GetValue<double>() <= 40);
        Assert.Null((await Get(service.Client, $"/api/retention/job/model?covariates=wage&asOf={AsOf}"))
            ["covariates"]!.AsArray().Single()!["coding"]);
    }

    [Fact]
    public async Task breslow_ties_and_filters_are_the_librarys_too()
    {
        var (fit, _, _) = await Library(Measure.PeerWork, ["credential"], s => s.Attributes.State == "TX");
        var breslow = CoxRegression.Fit(
            CoxDesign.Build((await SpellsIn("TX")).ToList(), ["credential"], CoxDesign.Levels(new CareerLadder())).Rows,
            fit.Terms.Select(t => t.Name).ToList(), CoxTies.Breslow);
        var answer = await Get(service.Client,
            $"/api/retention/peer-work/model?covariates=credential&state=TX&ties=breslow&asOf={AsOf}");
        Assert.Equal("breslow", answer["ties"]!.GetValue<string>());
        foreach (var (want, got) in breslow.Terms.Zip(answer["terms"]!.AsArray()))
            Assert.Equal(want.Coef, got!["coef"]!.GetValue<double>(), 1e-9);
    }

    private async Task<IEnumerable<Spell>> SpellsIn(string state)
    {
        await using var session = service.Store.QuerySession();
        var facts = await session.Query<RetentionFacts>().ToListAsync();
        return facts.SelectMany(f => Spells.For(Measure.PeerWork, f, DateOnly.Parse(AsOf), _ => 0))
            .Where(s => s.Attributes.State == state)
            .Where(s => s.Observation.Entry is not { } e || e < s.Observation.Exit);
    }

    [Fact]
    public async Task for_analysts_a_level_too_small_or_absent_is_folded_into_the_reference_and_said_so()
    {
        // Job types: the cohort has no clinical jobs (an absent level) and few of some others: by protected counts
        // alone, each is a term or folded, and an empty level looks exactly like a small one.
        var answer = await Get(service.Analyst, $"/api/retention/job/model?covariates=jobType,credential&asOf={AsOf}");
        var jobType = answer["covariates"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "jobType")!;
        Assert.Contains("clinical", jobType["folded"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.DoesNotContain(answer["terms"]!.AsArray(), t => t!["term"]!.GetValue<string>() == "jobType=clinical");
        var exact = await Get(service.Client, $"/api/retention/job/model?covariates=jobType,credential&asOf={AsOf}");
        Assert.Empty(exact["covariates"]!.AsArray().SelectMany(c => c!["folded"]!.AsArray()));
        // A narrow group with fewer than two large levels: refused, without saying whether it holds one or none.
        var small = $"/api/retention/first-peer-job/model?covariates=rural&state=GA&cohort=2019" +
                    $"&credential=family-peer&mhpsa=false&asOf={AsOf}";
        var problem = await (await service.Analyst.GetAsync(small))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "too-few-levels");
        Assert.DoesNotContain("one level", problem["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("", "covariates-required", HttpStatusCode.BadRequest)]
    [InlineData("&covariates=", "covariates-required", HttpStatusCode.BadRequest)]
    [InlineData("&covariates=credential,salary", "invalid-covariate", HttpStatusCode.BadRequest)]
    [InlineData("&covariates=jobType", "invalid-covariate", HttpStatusCode.BadRequest)]
    [InlineData("&covariates=credential&ties=exact", "invalid-value", HttpStatusCode.BadRequest)]
    [InlineData("&covariates=credential&groupBy=state", "invalid-group", HttpStatusCode.BadRequest)]
    [InlineData("&covariates=state,credential&state=TX", "covariate-is-a-filter",
        HttpStatusCode.UnprocessableEntity)]
    [InlineData("&covariates=credential&asOf=2099-01-01", "future-date", HttpStatusCode.BadRequest)]
    [InlineData("&covariates=promoted", "invalid-covariate", HttpStatusCode.BadRequest)]
    [InlineData("&covariates=tier&timeVarying=yes", "invalid-value", HttpStatusCode.BadRequest)]
    [InlineData("&covariates=credential&timeVarying=true&tier=Peer%20I", "invalid-filter", HttpStatusCode.BadRequest)]
    public async Task bad_requests_get_a_problem_in_the_callers_words(
        string query, string rule, HttpStatusCode status)
    {
        foreach (var client in new[] { service.Client, service.Analyst })
            await (await client.GetAsync("/api/retention/peer-work/model" +
                                         (query == "" ? "" : "?" + query.TrimStart('&'))))
                .ShouldBeProblem(status, rule);
    }

    [Fact]
    public async Task a_term_the_others_already_say_is_refused_by_name()
    {
        // Every job of the seeded cohort starts at Peer I: "promoted" is "tier is not Peer I", the tier terms' sum.
        // (An analyst is refused earlier: the higher tiers hold fewer than 11 jobs.)
        var problem = await (await service.Client.GetAsync(
                $"/api/retention/job/model?covariates=tier,promoted&timeVarying=true&asOf={AsOf}"))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "collinear-covariate");
        Assert.Contains("'promoted=true'", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_question_answered_in_this_release_is_answered_again_without_a_fit()
    {
        var (id, key) = await service.CreateKeyAsync(Roles.Analyst);
        var analyst = service.ClientWith(key);
        var asked = $"/api/retention/job/model?covariates=rural&asOf={AsOf}";
        var first = await Get(analyst, asked);
        // While this key holds a fit (its lease taken here), a new question is a 429 and the answered one is served.
        var gate = service.Services.GetRequiredService<ModelGate>();
        await using (var lease = await gate.EnterAsync(id.ToString(), default))
        {
            Assert.NotNull(lease);
            Assert.Equal(first.ToJsonString(), (await Get(analyst, asked)).ToJsonString());
            await (await analyst.GetAsync($"/api/retention/job/model?covariates=mhpsa&asOf={AsOf}"))
                .ShouldBeProblem(HttpStatusCode.TooManyRequests, "model-running");
        }
        Assert.Equal(first.ToJsonString(), (await Get(service.Analyst, asked)).ToJsonString());
    }

    [Fact]
    public async Task time_to_a_first_peer_job_has_nothing_time_varying() =>
        await (await service.Analyst.GetAsync("/api/retention/first-peer-job/model?covariates=state&timeVarying=true"))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "not-time-varying");
}

/// <summary>Restricted mean time on every curve (issue 17), and curves by hire year.</summary>
public class restricted_mean_time(DisclosureFixture service) : IClassFixture<DisclosureFixture>
{
    [Fact]
    public async Task every_curve_carries_its_restricted_mean_up_to_12_24_and_36_months()
    {
        await using var session = service.Store.QuerySession();
        var facts = await session.Query<RetentionFacts>().ToListAsync();
        var asOf = new DateOnly(2024, 12, 31);
        var spells = facts.SelectMany(f => Spells.For(Measure.PeerWork, f, asOf)).ToList();
        var exact = (await (await service.Client.GetAsync("/api/retention/peer-work?groupBy=state&asOf=2024-12-31"))
            .Json()).AsObject();
        var safe = (await (await service.Analyst.GetAsync("/api/retention/peer-work?groupBy=state&asOf=2024-12-31"))
            .Json()).AsObject();
        var compared = 0;
        foreach (var group in exact["groups"]!.AsArray())
        {
            var state = group!["key"]!.GetValue<string>();
            var curve = KaplanMeier.Estimate(spells.Where(s => s.Attributes.State == state)
                .Select(s => s.Observation).ToList());
            var other = safe["groups"]!.AsArray().Single(g => g!["key"]!.GetValue<string>() == state)!;
            foreach (var months in SurvivalReports.RestrictedMonths)
            {
                if (group["restrictedMean"]![months.ToString()] is not JsonObject rmean) continue;
                var (mean, se) = curve.RestrictedMean(SurvivalReports.Days(months));
                Assert.Equal(mean, rmean["days"]!.GetValue<double>(), 1e-9);
                Assert.Equal(se, rmean["se"]!.GetValue<double>(), 1e-9);
                Assert.Equal(months, rmean["months"]!.GetValue<int>());
                // The analyst's, from the protected monthly curve: near it, within a few days.
                if (other["restrictedMean"]?[months.ToString()] is JsonObject protectedMean)
                    Assert.InRange(protectedMean["days"]!.GetValue<double>(), mean - 20, mean + 20);
                compared++;
            }
        }
        Assert.True(compared >= 8, $"only {compared} restricted means compared");
    }

    [Fact]
    public async Task curves_by_hire_year_are_each_years_spells_and_list_every_year()
    {
        await using var session = service.Store.QuerySession();
        var facts = await session.Query<RetentionFacts>().ToListAsync();
        var asOf = new DateOnly(2024, 12, 31);
        var spells = facts.SelectMany(f => Spells.For(Measure.Job, f, asOf)).ToList();
        var exact = (await (await service.Client.GetAsync(
            "/api/retention/job?groupBy=hireYear&asOf=2024-12-31")).Json()).AsObject();
        foreach (var group in exact["groups"]!.AsArray())
        {
            var year = group!["key"]!.GetValue<string>();
            var mine = spells.Where(s => s.Attributes.HireYear == year).Select(s => s.Observation).ToList();
            Assert.Equal(mine.Count, group["n"]!.GetValue<int>());
            if (group["at"]!["12"] is JsonObject at12)
                Assert.Equal(KaplanMeier.Estimate(mine).At(SurvivalReports.Days(12))!.Survival,
                    at12["survival"]!.GetValue<double>(), 1e-12);
        }
        // Analysts: every year from the first certification to the as-of year is listed, hired into or not, and a
        // year's row is the same as the year asked for as a filter.
        var safe = (await (await service.Analyst.GetAsync(
            "/api/retention/job?groupBy=hireYear&asOf=2024-12-31")).Json()).AsObject();
        var first = facts.Min(f => f.Cohort);
        Assert.Equal(Enumerable.Range(first, 2024 - first + 1).Select(y => y.ToString()),
            safe["groups"]!.AsArray().Select(g => g!["key"]!.GetValue<string>()));
        var row = safe["groups"]!.AsArray().First(g => !g!["suppressed"]!.GetValue<bool>())!;
        var alone = (await (await service.Analyst.GetAsync(
            $"/api/retention/job?hireYear={row["key"]}&asOf=2024-12-31")).Json()).AsObject();
        Assert.Equal(row["points"]!.ToJsonString(), alone["groups"]![0]!["points"]!.ToJsonString());
    }

    [Fact]
    public async Task time_to_a_first_promotion_is_kaplan_meier_of_the_ladders_first_steps()
    {
        await using var session = service.Store.QuerySession();
        var facts = await session.Query<RetentionFacts>().ToListAsync();
        var spells = facts.Select(f => Trajectories.Retention.Ladder.FirstPromotion.For(f, new DateOnly(2024, 12, 31),
            new CareerLadder())).OfType<Spell>().ToList();
        Assert.Contains(spells, s => s.Observation.Event);
        var curve = KaplanMeier.Estimate(spells.Select(s => s.Observation).ToList());
        var exact = (await (await service.Client.GetAsync("/api/retention/first-promotion?asOf=2024-12-31"))
            .Json()).AsObject();
        var all = exact["groups"]![0]!;
        Assert.Equal("first-promotion", exact["measure"]!.GetValue<string>());
        Assert.Equal(curve.N, all["n"]!.GetValue<int>());
        Assert.Equal(curve.Events, all["events"]!.GetValue<int>());
        if (all["at"]!["12"] is JsonObject at12)
            Assert.Equal(curve.At(SurvivalReports.Days(12))!.Survival, at12["survival"]!.GetValue<double>(), 1e-12);
        var safe = (await (await service.Analyst.GetAsync("/api/retention/first-promotion?groupBy=credential"))
            .Json()).AsObject();
        Assert.Equal("cell-key", safe["protection"]!["method"]!.GetValue<string>());
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Trajectories.Retention.Facts;
using Trajectories.Retention.Occupation;
using Trajectories.Survival;

namespace Trajectories.IntegrationTests.Retention;

/// <summary>
/// Where people are over time (issue 17, item 3) over HTTP, on the seeded 500-person cohort: the admin's exact answer
/// is the library's estimate on the same paths (the estimator equals R's survfit: occupation_against_r), and the
/// analyst's is protected, consistent across routes and close to it.
/// </summary>
public class occupation(DisclosureFixture service) : IClassFixture<DisclosureFixture>
{
    private const string AsOf = "2024-12-31";


    private async Task<List<OccupationPath>> PathsAsync(Func<RetentionFacts, bool> filter)
    {
        await using var session = service.Store.QuerySession();
        var facts = await session.Query<RetentionFacts>().ToListAsync();
        var asOf = DateOnly.Parse(AsOf);
        return facts.Where(f => f.CertifiedOn <= asOf).Where(filter)
            .Select((f, i) => Paths.For(f, asOf, i)).OfType<OccupationPath>().ToList();
    }

    private static JsonObject Group(JsonObject report, string key) =>
        report["groups"]!.AsArray().Single(g => g!["key"]!.GetValue<string>() == key)!.AsObject();

    [Theory]
    [InlineData(null, null)]
    [InlineData("credential", "youth-peer")]
    [InlineData("rural", "true")]
    public async Task the_exact_answer_is_the_librarys_estimate_on_the_same_paths(string? groupBy, string? key)
    {
        var paths = await PathsAsync(f => groupBy is null
            || Trajectories.Retention.RetentionQuery.PersonValue(f, groupBy) == key);
        var curve = Occupation.Estimate(Paths.States, paths.SelectMany(p => p.Episodes).ToList());
        var report = await service.Client.OkAsync(
            $"/api/trajectories/occupation?asOf={AsOf}" + (groupBy is null ? "" : $"&groupBy={groupBy}"));
        Assert.Equal("exact", report["protection"]!["method"]!.GetValue<string>());
        Assert.Equal("infinitesimal-jackknife", report["variance"]!.GetValue<string>());
        var group = Group(report, key ?? "all");
        Assert.Equal(paths.Count, group["n"]!.GetValue<int>());
        var points = group["points"]!.AsArray();
        Assert.Equal(curve.Points.Count, points.Count);
        foreach (var (want, got) in curve.Points.Zip(points))
        {
            Assert.Equal(want.Time, got!["day"]!.GetValue<double>());
            for (var j = 0; j < Paths.States.Count; j++)
            {
                var state = got["states"]![Paths.States[j]]!;
                Assert.Equal(want.Probability[j], state["probability"]!.GetValue<double>(), 1e-12);
                Assert.Equal(want.AtRisk[j], state["count"]!.GetValue<int>());
                if (want.Lower[j] is { } lower) Assert.Equal(lower, state["lower"]!.GetValue<double>(), 1e-12);
            }
        }
        var twelve = group["at"]!["12"]!;
        var at = curve.At(365)!;
        Assert.Equal(at.Probability[0], twelve["states"]!["peer"]!["probability"]!.GetValue<double>(), 1e-12);

        // Moves: every pair, counts and person-years from the paths.
        var moves = group["transitions"]!.AsArray();
        Assert.Equal(20, moves.Count);
        var peerToOther = moves.Single(m => m!["from"]!.GetValue<string>() == "peer"
                                            && m["to"]!.GetValue<string>() == "other")!;
        var episodes = paths.SelectMany(p => p.Episodes).ToList();
        Assert.Equal(episodes.Count(e => e.From == 0 && e.To == 1), peerToOther["count"]!.GetValue<int>());
        Assert.Equal(episodes.Where(e => e.From == 0).Sum(e => e.Stop - e.Start) / 365.25,
            peerToOther["personYears"]!.GetValue<double>(), 1e-9);
    }

    [Fact]
    public async Task the_analysts_answer_is_protected_adds_up_and_stays_close_to_the_exact_one()
    {
        var exact = await service.Client.OkAsync($"/api/trajectories/occupation?asOf={AsOf}");
        var safe = await service.Analyst.OkAsync($"/api/trajectories/occupation?asOf={AsOf}");
        Assert.Equal("cell-key", safe["protection"]!["method"]!.GetValue<string>());
        Assert.Equal("greenwood-type", safe["variance"]!.GetValue<string>());
        var all = Group(safe, "all");
        Assert.InRange(all["n"]!.GetValue<int>(), Group(exact, "all")["n"]!.GetValue<int>() - 9,
            Group(exact, "all")["n"]!.GetValue<int>() + 9);
        foreach (var point in all["points"]!.AsArray())
        {
            var states = point!["states"]!.AsObject();
            Assert.Equal(1.0, states.Sum(s => s.Value!["probability"]!.GetValue<double>()), 9);
            // A count under the minimum cell size is never shown.
            Assert.All(states, s => Assert.True(s.Value!["count"] is null || s.Value["count"]!.GetValue<int>() >= 11));
        }
        foreach (var months in new[] { "6", "12", "24" })
            foreach (var state in Paths.States)
            {
                var want = Group(exact, "all")["at"]![months]!["states"]![state]!["probability"]!.GetValue<double>();
                var got = all["at"]![months]!["states"]![state]!["probability"]!.GetValue<double>();
                Assert.True(Math.Abs(want - got) < 0.05, $"{state} at {months} months: exact {want}, analyst {got}");
            }
    }

    [Fact]
    public async Task the_same_group_answers_alike_by_filter_by_grouping_and_as_csv()
    {
        var grouped = Group(await service.Analyst.OkAsync(
            $"/api/trajectories/occupation?asOf={AsOf}&groupBy=credential"), "adult-peer");
        var filtered = Group(await service.Analyst.OkAsync(
            $"/api/trajectories/occupation?asOf={AsOf}&credential=adult-peer"), "all");
        Assert.Equal(grouped["n"]!.ToJsonString(), filtered["n"]!.ToJsonString());
        Assert.Equal(grouped["points"]!.ToJsonString(), filtered["points"]!.ToJsonString());
        Assert.Equal(grouped["transitions"]!.ToJsonString(), filtered["transitions"]!.ToJsonString());

        var csv = await service.Analyst.GetStringAsync(
            $"/api/trajectories/occupation?asOf={AsOf}&credential=adult-peer&format=csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("group,suppressed,part,day,state,to,count,probability,lower,upper,personYears," +
                          "ratePerPersonYear,protection", lines[0]);
        var readings = filtered["at"]!.AsObject().Count(a => a.Value is not null);
        Assert.Equal((filtered["points"]!.AsArray().Count + readings) * Paths.States.Count + 20, lines.Length - 1);
        Assert.Equal(20, lines.Count(l => l.Contains(",move,")));
        Assert.All(lines.Skip(1), l => Assert.EndsWith(",cell-key", l.TrimEnd('\r')));
    }

    [Fact]
    public async Task an_analyst_sees_every_group_of_the_vocabulary_and_a_job_level_grouping_is_refused()
    {
        // The interval's default here is R's for multi-state curves, however 'ci' is left out.
        Assert.Equal("log", (await service.Analyst.OkAsync("/api/trajectories/occupation?ci="))["ci"]!
            .GetValue<string>());
        var badCi = await service.Analyst.GetAsync("/api/trajectories/occupation?ci=plain");
        Assert.Equal(HttpStatusCode.BadRequest, badCi.StatusCode);
        Assert.Contains("log (the default here", await badCi.Content.ReadAsStringAsync());
        var report = await service.Analyst.OkAsync($"/api/trajectories/occupation?asOf={AsOf}&groupBy=credential");
        Assert.Equal(Trajectories.Careers.Vocabulary.Credentials.Order(StringComparer.Ordinal),
            report["groups"]!.AsArray().Select(g => g!["key"]!.GetValue<string>()));
        var refused = await service.Analyst.GetAsync($"/api/trajectories/occupation?groupBy=jobType");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("groupBy", await refused.Content.ReadAsStringAsync());
    }
}

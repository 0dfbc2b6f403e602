using System.Net;
using System.Text.Json.Nodes;
using Trajectories.Survival;

namespace Trajectories.IntegrationTests;

[Collection(AnalyticsCollection.Name)]
public class retention_over_http(AnalyticsFixture analytics)
{
    private const string AsOf = "asOf=2025-01-01";

    private async Task<JsonObject> Get(string url)
    {
        var response = await analytics.Client.GetAsync(url);
        await response.ShouldBe(HttpStatusCode.OK);
        return await response.Json();
    }

    private static JsonObject Group(JsonObject report, string key) =>
        report["groups"]!.AsArray().Single(g => g!["key"]!.GetValue<string>() == key)!.AsObject();

    [Fact]
    public async Task peer_work_retention_is_the_kaplan_meier_of_the_recorded_spells()
    {
        var report = await Get($"/api/retention/peer-work?state=OR&{AsOf}");
        var expected = KaplanMeier.Estimate(analytics.OregonPeerWork).Points.Where(p => p.AtRisk >= 11).ToList();
        var points = Group(report, "all")["points"]!.AsArray();
        Assert.Equal(expected.Count, points.Count);
        foreach (var (want, got) in expected.Zip(points))
        {
            Assert.Equal(want.Time, got!["day"]!.GetValue<double>());
            Assert.Equal(want.AtRisk, got["atRisk"]!.GetValue<int>());
            Assert.Equal(want.Survival, got["survival"]!.GetValue<double>(), 12);
        }
        Assert.Equal(30, Group(report, "all")["n"]!.GetValue<int>());
        Assert.Equal("log-log", report["ci"]!.GetValue<string>());
    }

    [Fact]
    public async Task small_groups_are_listed_as_suppressed_with_a_complementary_one()
    {
        var report = await Get($"/api/retention/peer-work?groupBy=state&{AsOf}");
        Assert.True(Group(report, "WA")["suppressed"]!.GetValue<bool>());
        Assert.Null(Group(report, "WA")["n"]);
        // Idaho (6 in peer work) is small too; were only Washington hidden, it would follow from the total.
        Assert.True(Group(report, "ID")["suppressed"]!.GetValue<bool>());
        Assert.False(Group(report, "OR")["suppressed"]!.GetValue<bool>());
        Assert.All(Group(report, "OR")["points"]!.AsArray(), p => Assert.True(p!["atRisk"]!.GetValue<int>() >= 11));
        Assert.Null(report["logRank"]);
        Assert.DoesNotContain("WA person", report.ToJsonString());
    }

    [Fact]
    public async Task counts_from_one_to_ten_never_appear()
    {
        var report = await Get($"/api/retention/job?groupBy=state&{AsOf}");
        foreach (var point in Group(report, "OR")["points"]!.AsArray())
        {
            foreach (var field in new[] { "events", "censored" })
                if (point![field]?.GetValue<int>() is { } count)
                    Assert.True(count == 0 || count >= 11, $"{field} = {count}");
        }
    }

    [Fact]
    public async Task reasons_and_still_in_sum_to_one_at_every_day()
    {
        var report = await Get($"/api/retention/reasons?state=OR&{AsOf}");
        var group = Group(report, "all");
        Assert.NotEmpty(group["points"]!.AsArray());
        foreach (var p in group["points"]!.AsArray())
        {
            var sum = p!["survival"]!.GetValue<double>()
                + p["incidence"]!.AsObject().Sum(kv => kv.Value!.GetValue<double>());
            Assert.Equal(1.0, sum, 12);
        }
        var burnout = group["leavers"]!["burnout"]?.GetValue<int>();
        if (analytics.OregonBurnout is > 0 and < 11) Assert.Null(burnout);
        else Assert.Equal(analytics.OregonBurnout, burnout);
    }

    [Fact]
    public async Task first_peer_job_cohorts_and_workforce_answer()
    {
        var first = await Get($"/api/retention/first-peer-job?{AsOf}&ci=log");
        Assert.Equal("log", first["ci"]!.GetValue<string>());
        Assert.Equal(45, Group(first, "all")["n"]!.GetValue<int>());

        var grid = await Get($"/api/retention/cohorts?{AsOf}");
        var cohort = grid["cohorts"]!.AsArray().Single(c => c!["cohort"]!.GetValue<string>() == "2021")!;
        var twelve = cohort["cells"]!.AsArray().Single(c => c!["months"]!.GetValue<int>() == 12)!;
        Assert.Equal(45, twelve["observed"]!.GetValue<int>());
        Assert.Equal(1.0, twelve["shares"]!.AsObject().Sum(kv => kv.Value?.GetValue<double>() ?? 0), 1);

        var summary = await Get($"/api/workforce/summary?{AsOf}&from=2024-01-01");
        Assert.Equal("2024-01-01", summary["from"]!.GetValue<string>());
        Assert.Equal(13, summary["monthly"]!.AsArray().Count);
        Assert.True(summary["averagePeerHeadcount"]!.GetValue<double>() > 0);
    }

    [Fact]
    public async Task as_of_a_past_date_counts_only_what_had_happened()
    {
        var early = await Get("/api/retention/first-peer-job?asOf=2021-03-01");
        var n = Group(early, "all")["n"]!.GetValue<int>();
        // Certified one a week from 2021-01-01 per state: by 2021-03-01, 9 Oregon + 9 Idaho + 3 Washington.
        Assert.Equal(21, n);
    }

    [Fact]
    public async Task csv_has_a_row_per_point()
    {
        var response = await analytics.Client.GetAsync($"/api/retention/peer-work?state=OR&{AsOf}&format=csv");
        await response.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("measure,asOf,ci,group,suppressed,day,atRisk,events,censored,survival,lower,upper", lines[0]);
        var json = await Get($"/api/retention/peer-work?state=OR&{AsOf}");
        Assert.Equal(Group(json, "all")["points"]!.AsArray().Count, lines.Length - 1);

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/retention/cohorts?{AsOf}");
        request.Headers.Accept.ParseAdd("text/csv");
        var accepted = await analytics.Client.SendAsync(request);
        Assert.Equal("text/csv", accepted.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("/api/retention/peer-work?groupBy=jobType", "invalid-group")]
    [InlineData("/api/retention/first-peer-job?tier=Peer%20I", "invalid-filter")]
    [InlineData("/api/retention/peer-work?asOf=2999-01-01", "future-date")]
    [InlineData("/api/retention/peer-work?asOf=01/01/2024", "invalid-date")]
    [InlineData("/api/retention/peer-work?ci=plain", "invalid-value")]
    [InlineData("/api/retention/peer-work?rural=maybe", "invalid-value")]
    [InlineData("/api/retention/peer-work?colour=blue", "unknown-parameter")]
    [InlineData("/api/workforce/summary?from=2999-01-01", "empty-period")]
    public async Task bad_queries_are_400s(string url, string rule) =>
        await (await analytics.Client.GetAsync(url)).ShouldBeProblem(HttpStatusCode.BadRequest, rule);
}

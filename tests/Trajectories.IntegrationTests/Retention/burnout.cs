using System.Text.Json.Nodes;
using Marten;
using Trajectories.Retention.Facts;

namespace Trajectories.IntegrationTests.Retention;

/// <summary>
/// Burnout from check-ins (issue 17, item 6) over HTTP on the seeded cohort: the admin's means are the means over
/// people of their own scores in the job they held at each check-in; the analyst's are protected and close.
/// </summary>
public class burnout(DisclosureFixture service) : IClassFixture<DisclosureFixture>
{
    private const string AsOf = "2024-12-31";


    private static JsonNode Group(JsonObject report, string key) =>
        report["groups"]!.AsArray().Single(g => g!["key"]!.GetValue<string>() == key)!;

    /// <summary>Each person's mean exhaustion over their check-ins in a job of the type, then their mean.</summary>
    private async Task<(double Mean, int People)> ExhaustionIn(string jobType)
    {
        await using var session = service.Store.QuerySession();
        var asOf = DateOnly.Parse(AsOf);
        var perPerson = new List<double>();
        foreach (var f in await session.Query<RetentionFacts>().ToListAsync())
        {
            var mine = f.CheckIns.Where(c => c.On <= asOf && c.Exhaustion is not null).Where(c =>
            {
                var held = f.Jobs.Where(j => j.Start <= c.On && (j.End is null || c.On < j.End)).ToList();
                var type = held.Count == 0 ? "none"
                    : held.Any(j => j.JobType == "peer") ? "peer" : held.MinBy(j => j.Start)!.JobType;
                return type == jobType;
            }).Select(c => (double)c.Exhaustion!.Value).ToList();
            if (f.CertifiedOn <= asOf && mine.Count > 0) perPerson.Add(mine.Average());
        }
        return (perPerson.Average(), perPerson.Count);
    }

    [Theory]
    [InlineData("peer")]
    [InlineData("none")]
    public async Task the_exact_mean_is_over_people_of_their_scores_in_the_job_they_held(string jobType)
    {
        var (mean, people) = await ExhaustionIn(jobType);
        var report = await service.Client.OkAsync($"/api/retention/burnout?asOf={AsOf}");
        Assert.Equal("jobType", report["groupBy"]!.GetValue<string>());
        var score = Group(report, jobType)["scores"]!["exhaustion"]!;
        Assert.Equal(mean, score["mean"]!.GetValue<double>(), 1e-9);
        Assert.Equal(people, score["people"]!.GetValue<int>());
        Assert.True(score["lower"]!.GetValue<double>() < mean && mean < score["upper"]!.GetValue<double>());
    }

    [Fact]
    public async Task the_analysts_means_are_protected_close_and_alike_by_filter_grouping_and_csv()
    {
        var (mean, _) = await ExhaustionIn("peer");
        var report = await service.Analyst.OkAsync($"/api/retention/burnout?asOf={AsOf}");
        Assert.Equal("cell-key", report["protection"]!["method"]!.GetValue<string>());
        Assert.Contains("perturbed sums", report["protection"]!["note"]!.GetValue<string>());
        // Every job type of the vocabulary and "no job", whatever the data holds.
        Assert.Equal(["clinical", "none", "other", "peer"],
            report["groups"]!.AsArray().Select(g => g!["key"]!.GetValue<string>()).Order());
        var peer = Group(report, "peer");
        Assert.InRange(peer["scores"]!["exhaustion"]!["mean"]!.GetValue<double>(), mean - 0.3, mean + 0.3);
        var filtered = Group(await service.Analyst.OkAsync($"/api/retention/burnout?asOf={AsOf}&jobType=peer"), "peer");
        Assert.Equal(peer.ToJsonString(), filtered.ToJsonString());

        var csv = await service.Analyst.GetStringAsync($"/api/retention/burnout?asOf={AsOf}&format=csv");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("group,suppressed,monthsSinceHire,scale,people,mean,lower,upper,protection", lines[0]);
        Assert.Equal(4 * 6 * 3, lines.Length - 1);
        Assert.All(lines.Skip(1), l => Assert.EndsWith(",cell-key", l.TrimEnd('\r')));
    }
}

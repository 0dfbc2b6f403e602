using System.Text.Json.Nodes;
using Marten;
using Trajectories.Retention;
using Trajectories.Retention.Facts;

namespace Trajectories.IntegrationTests.Retention;

/// <summary>
/// The career ladder flow (issue 17, item 5) over HTTP on the seeded cohort: the exact flows add up and match the
/// stored spells and their tier changes; the analyst's are protected cells listed for every pair.
/// </summary>
public class ladder(DisclosureFixture service) : IClassFixture<DisclosureFixture>
{
    private const string AsOf = "2024-12-31";


    private static int Sum(JsonObject report, string fromStage) => report["flows"]!.AsArray()
        .Where(f => f!["fromStage"]!.GetValue<string>() == fromStage).Sum(f => f!["count"]!.GetValue<int>());

    [Fact]
    public async Task the_exact_flows_add_up_to_the_spells_and_follow_their_tiers()
    {
        await using var session = service.Store.QuerySession();
        var facts = await session.Query<RetentionFacts>().ToListAsync();
        var asOf = DateOnly.Parse(AsOf);
        var spells = facts.Select(f => (f, Spell: Spells.For(Measure.PeerWork, f, asOf).FirstOrDefault()))
            .Where(x => x.Spell is not null).ToList();
        var report = await service.Client.OkAsync($"/api/retention/ladder?asOf={AsOf}");
        Assert.Equal("exact", report["protection"]!["method"]!.GetValue<string>());
        Assert.Equal(spells.Count, report["spells"]!.GetValue<int>());
        Assert.Equal(spells.Count, Sum(report, "start"));
        Assert.Equal(spells.Count, Sum(report, "highest"));
        // Starting tiers as the peer-work measure records them.
        var peerOne = report["flows"]!.AsArray().Where(f => f!["fromStage"]!.GetValue<string>() == "start"
                                                             && f["from"]!.GetValue<string>() == "Peer I")
            .Sum(f => f!["count"]!.GetValue<int>());
        Assert.Equal(spells.Count(x => x.Spell!.Attributes.Tier == "Peer I"), peerOne);
        // Promotions happen in the seeded careers, and a promoted spell reaches a higher tier than it started at.
        var promoted = report["flows"]!.AsArray().Where(f => f!["fromStage"]!.GetValue<string>() == "start"
                && f["from"]!.GetValue<string>() == "Peer I" && f["to"]!.GetValue<string>() == "Peer II")
            .Sum(f => f!["count"]!.GetValue<int>());
        Assert.True(promoted > 0);
        var up = report["moves"]!.AsArray().Single(m => m!["from"]!.GetValue<string>() == "Peer I"
                                                         && m["to"]!.GetValue<string>() == "Peer II")!;
        Assert.True(up["count"]!.GetValue<int>() >= promoted);
        // Those still in peer work are the spells without an exit by the as-of date, less the lost.
        var stillIn = report["flows"]!.AsArray().Where(f => f!["to"]!.GetValue<string>() == "still in peer work")
            .Sum(f => f!["count"]!.GetValue<int>());
        Assert.Equal(spells.Count(x => !x.Spell!.Observation.Event && x.f.FollowedUntil(asOf) == asOf), stillIn);
        var clinical = report["flows"]!.AsArray().Where(f => f!["to"]!.GetValue<string>() == "clinical role")
            .Sum(f => f!["count"]!.GetValue<int>());
        Assert.True(clinical >= spells.Count(x => x.Spell!.Cause == "clinical-role"));
    }

    [Fact]
    public async Task the_analyst_sees_protected_cells_for_every_pair_and_a_grouping_is_refused()
    {
        var report = await service.Analyst.OkAsync($"/api/retention/ladder?asOf={AsOf}");
        Assert.Equal("cell-key", report["protection"]!["method"]!.GetValue<string>());
        var tiers = report["tiers"]!.AsArray().Count;
        Assert.Equal(tiers * tiers + tiers * 5, report["flows"]!.AsArray().Count);
        Assert.Equal(tiers * (tiers - 1), report["moves"]!.AsArray().Count);
        Assert.All(report["flows"]!.AsArray(), f =>
            Assert.True(f!["count"] is null || f["count"]!.GetValue<int>() >= 11));
        var refused = await service.Analyst.GetAsync($"/api/retention/ladder?groupBy=state");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        var csv = await service.Analyst.GetStringAsync($"/api/retention/ladder?asOf={AsOf}&format=csv");
        Assert.StartsWith("fromStage,from,toStage,to,count,protection", csv);
        Assert.Equal(tiers * tiers + tiers * 5 + tiers * (tiers - 1),
            csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1);
    }
}

using System.Net;
using Marten.Events;

namespace Trajectories.IntegrationTests;

/// <summary>A service that shows every count (MinCellSize 1) and refreshes its facts cache quickly.</summary>
public sealed class LiveRetentionFixture : ServiceFixture
{
    protected override IEnumerable<(string Key, string Value)> Settings() =>
        [("Privacy:MinCellSize", "1"), ("Retention:CacheRefreshMilliseconds", "100")];
}

[CollectionDefinition(Name)]
public sealed class LiveRetentionCollection : ICollectionFixture<LiveRetentionFixture>
{
    public const string Name = "live-retention";
}

/// <summary>Staff writes over HTTP reach the analysts' numbers: async facts, then the cache, late events and
/// corrections included.</summary>
[Collection(LiveRetentionCollection.Name)]
public class live_retention(LiveRetentionFixture service)
{
    private async Task<System.Text.Json.Nodes.JsonObject> Settled(string url)
    {
        await service.Store.WaitForRetentionFactsAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(250);
        var response = await service.Client.GetAsync(url);
        await response.ShouldBe(HttpStatusCode.OK);
        return await response.Json();
    }

    [Fact]
    public async Task a_late_separation_and_a_voided_hire_change_the_curves()
    {
        var api = service.Client;
        var a = await api.RegisterAsync("2022-01-10", state: "VT");
        var b = await api.RegisterAsync("2022-01-10", state: "VT");
        var jobA = await api.HireAsync(a, "2022-03-01");
        await api.HireAsync(b, "2022-04-01");

        var before = await Settled("/api/retention/peer-work?state=VT&asOf=2025-01-01");
        var group = before["groups"]![0]!;
        Assert.Equal(2, group["n"]!.GetValue<int>());
        Assert.Equal(0, group["events"]!.GetValue<int>());

        await (await api.PostAsync(a, "separations",
                new { jobId = jobA, reason = "burnout", voluntary = true, effectiveOn = "2023-03-01" }))
            .ShouldBe(HttpStatusCode.Created);
        var after = await Settled("/api/retention/peer-work?state=VT&asOf=2025-01-01");
        Assert.Equal(1, after["groups"]![0]!["events"]!.GetValue<int>());
        Assert.Equal(365, after["groups"]![0]!["points"]![0]!["day"]!.GetValue<double>());
        var reasons = await Settled("/api/retention/reasons?state=VT&asOf=2025-01-01");
        Assert.Equal(1, reasons["groups"]![0]!["leavers"]!["burnout"]!.GetValue<int>());

        // As of before the separation, it has not happened.
        var earlier = await Settled("/api/retention/peer-work?state=VT&asOf=2023-01-01");
        Assert.Equal(0, earlier["groups"]![0]!["events"]!.GetValue<int>());

        var hireB = (await api.TimelineAsync(b))[1]!["eventId"]!.GetValue<Guid>();
        await (await api.PostAsync(b, "corrections",
                new { eventId = hireB, @void = true, reason = "entered for the wrong person" }))
            .ShouldBe(HttpStatusCode.Created);
        var corrected = await Settled("/api/retention/first-peer-job?state=VT&asOf=2025-01-01");
        Assert.Equal(2, corrected["groups"]![0]!["n"]!.GetValue<int>());
        Assert.Equal(1, corrected["groups"]![0]!["events"]!.GetValue<int>());
    }
}

/// <summary>With suppression turned off in configuration, analysts still get it.</summary>
[Collection(LiveRetentionCollection.Name)]
public class analyst_suppression(LiveRetentionFixture service)
{
    [Fact]
    public async Task analysts_always_get_small_cells_suppressed()
    {
        for (var i = 0; i < 3; i++) await service.Client.RegisterAsync("2022-01-10", state: "RI");
        await service.Store.WaitForRetentionFactsAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(300);

        var admin = await (await service.Client.GetAsync("/api/retention/first-peer-job?state=RI")).Json();
        Assert.Equal(1, admin["minCellSize"]!.GetValue<int>());
        Assert.Equal(3, admin["groups"]![0]!["n"]!.GetValue<int>());

        using var analyst = service.ClientWith((await service.CreateKeyAsync("analyst")).Key);
        var report = await (await analyst.GetAsync("/api/retention/first-peer-job?state=RI")).Json();
        Assert.Equal(11, report["minCellSize"]!.GetValue<int>());
        Assert.True(report["groups"]![0]!["suppressed"]!.GetValue<bool>());
        Assert.Null(report["groups"]![0]!["n"]);
    }
}

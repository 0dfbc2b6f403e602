using System.Net;

namespace Trajectories.IntegrationTests;

/// <summary>The "done when" story, over real HTTP on real PostgreSQL.</summary>
[Collection(ServiceCollection.Name)]
public class the_acceptance_story(ServiceFixture service)
{
    [Fact]
    public async Task reads_back_status_and_tenure_as_of_each_date()
    {
        var api = service.Client;
        var (staffKeyId, staffKey) = await service.CreateKeyAsync("staff", "OR");
        using var maria = service.ClientWith(staffKey);
        var id = await api.RegisterAsync("2022-01-10");
        var job = await api.HireAsync(id, "2022-03-01");
        await (await maria.PostAsync(id, "promotions",
                new { jobId = job, tier = "Peer II", effectiveOn = "2023-03-01" }))
            .ShouldBe(HttpStatusCode.Created);
        await (await api.PostAsync(id, "pauses", new { reason = "SSDI review", startedOn = "2023-06-01" }))
            .ShouldBe(HttpStatusCode.Created);
        await (await api.PostAsync(id, "pauses/end", new { endedOn = "2023-08-01" })).ShouldBe(HttpStatusCode.Created);
        await (await api.PostAsync(id, "separations",
                new { jobId = job, reason = "burnout", voluntary = true, effectiveOn = "2024-02-29" }))
            .ShouldBe(HttpStatusCode.Created);

        var early = await api.SpecialistAsync(id, "2023-01-01");
        Assert.Equal("employed-peer", early["status"]!.GetValue<string>());
        Assert.Equal(306, early["tenure"]!["peerWorkDays"]!.GetValue<int>());
        Assert.Equal(306, early["tenure"]!["currentJobDays"]!.GetValue<int>());
        Assert.Equal("Peer I", early["jobs"]![0]!["tier"]!.GetValue<string>());

        var paused = await api.SpecialistAsync(id, "2023-07-01");
        Assert.Equal("paused", paused["status"]!.GetValue<string>());
        Assert.Equal("Peer II", paused["jobs"]![0]!["tier"]!.GetValue<string>());

        var today = await api.SpecialistAsync(id);
        Assert.Equal("not-employed", today["status"]!.GetValue<string>());
        Assert.Equal(730, today["tenure"]!["peerWorkDays"]!.GetValue<int>());
        Assert.Empty(today["jobs"]!.AsArray());
        Assert.Equal(6, today.Version());

        var timeline = await api.TimelineAsync(id);
        Assert.Equal(
            ["certified", "hired", "promoted", "disability-pause-started", "disability-pause-ended", "separated"],
            timeline.Select(e => e!["type"]!.GetValue<string>()));
        // Who recorded each event: the key's id and role, never the key; the channel; a correlation id.
        Assert.Equal($"key:{staffKeyId}", timeline[2]!["recordedBy"]!.GetValue<string>());
        Assert.Equal("staff", timeline[2]!["recordedRole"]!.GetValue<string>());
        Assert.Equal("admin", timeline[1]!["recordedRole"]!.GetValue<string>());
        Assert.Equal("api", timeline[1]!["channel"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(timeline[1]!["correlationId"]!.GetValue<string>()));
        Assert.Equal("2024-02-29", timeline[5]!["effectiveOn"]!.GetValue<string>());
        Assert.Equal("burnout", timeline[5]!["data"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_late_event_is_placed_by_its_effective_date()
    {
        var api = service.Client;
        var id = await api.RegisterAsync("2022-01-10");
        var job = await api.HireAsync(id, "2022-03-01");
        await (await api.PostAsync(id, "separations",
                new { jobId = job, reason = "position-cut", voluntary = false, effectiveOn = "2024-01-01" }))
            .ShouldBe(HttpStatusCode.Created);
        // Recorded last, happened in between.
        await (await api.PostAsync(id, "promotions",
                new { jobId = job, tier = "Peer III", hourlyWage = 24, effectiveOn = "2023-05-01" }))
            .ShouldBe(HttpStatusCode.Created);

        var mid = await api.SpecialistAsync(id, "2023-06-01");
        Assert.Equal("Peer III", mid["jobs"]![0]!["tier"]!.GetValue<string>());
        Assert.Equal(24m, mid["jobs"]![0]!["hourlyWage"]!.GetValue<decimal>());
        Assert.Equal(
            ["certified", "hired", "promoted", "separated"],
            (await api.TimelineAsync(id)).Select(e => e!["type"]!.GetValue<string>()));
    }
}

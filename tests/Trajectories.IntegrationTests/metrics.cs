using System.Net;
using System.Net.Http.Json;
using Trajectories.IntegrationTests.Ingestion;

namespace Trajectories.IntegrationTests;

/// <summary>Metrics exported in Prometheus format (Metrics:Prometheus=true), sampled every second.</summary>
public sealed class MetricsFixture : ServiceFixture
{
    protected override IEnumerable<(string Key, string Value)> Settings() =>
        [("Metrics:Prometheus", "true"), ("Metrics:SampleSeconds", "1")];
}

public class metrics(MetricsFixture service) : IClassFixture<MetricsFixture>
{
    private async Task<string> ScrapeAsync()
    {
        using var anonymous = service.ClientWith(null);
        var response = await anonymous.GetAsync("/metrics");
        await response.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task metrics_count_requests_ingestion_and_lag_and_name_nobody()
    {
        var number = $"MX{Guid.NewGuid():N}"[..14];
        var registered = await service.Client.PostAsJsonAsync("/api/specialists",
            CareerApi.Registration(number: number, name: "Metrica Distinctname"));
        await registered.ShouldBe(HttpStatusCode.Created);
        var id = (await registered.Json())["id"]!.GetValue<Guid>();
        (await service.Client.GetAsync($"/api/specialists/{id}")).EnsureSuccessStatusCode();
        var results = await (await service.Client.SendAsync(
            Ingest.Event("certified", $"OR:{number}-2", Ingest.Certified("OR", $"{number}-2")),
            Ingest.Event("frobbed", $"OR:{number}-2", new { }))).ResultsAsync();
        Assert.Equal(["accepted", "rejected"], results.Select(r => r.Status));
        await service.Store.SettledAsync();

        // Everything asserted below is waited for: a request's duration is recorded when ASP.NET Core finishes it,
        // which can be after the client has its response, and the exporter keeps a scrape for a moment (a CI run
        // scraped before the GET's route was in).
        string[] expected =
        [
            "http_server_request_duration_seconds", "trajectories_ingest_answered",
            "trajectories_ingest_decided", "trajectories_projection_lag_events",
            "trajectories_projection_lag_seconds", "trajectories_ingest_pending",
            "trajectories_dead_letters", "trajectories_node_runs_daemon", "trajectories_nodes",
            "status=\"accepted\"", "status=\"rejected\"", "outcome=\"applied\"",
            // Routes, not paths: the person's id, number and name are nowhere.
            "/api/specialists/{id}",
        ];
        string text = "";
        for (var i = 0; i < 50; i++)
        {
            text = await ScrapeAsync();
            if (expected.All(text.Contains)) break;
            await Task.Delay(200);
        }
        foreach (var part in expected) Assert.Contains(part, text);
        Assert.DoesNotContain(id.ToString(), text);
        Assert.DoesNotContain(number, text);
        Assert.DoesNotContain("Distinctname", text);
    }
}

public class metrics_off_by_default(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task without_the_setting_there_is_no_metrics_endpoint()
    {
        using var anonymous = service.ClientWith(null);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/metrics")).StatusCode);
    }
}

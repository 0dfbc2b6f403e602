using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Marten;
using Trajectories.Ingestion;

namespace Trajectories.IntegrationTests.Ingestion;

/// <summary>CloudEvents for tests, and waiting for accepted events to be applied.</summary>
public static class Ingest
{
    public static JsonObject Event(string kind, string? subject, object data, string? id = null, string source = "urn:test") => new()
    {
        ["specversion"] = "1.0", ["id"] = id ?? Guid.NewGuid().ToString(), ["source"] = source,
        ["type"] = $"org.trajectories.cps.{kind}.v1", ["subject"] = subject, ["time"] = DateTimeOffset.UtcNow.ToString("O"),
        ["data"] = System.Text.Json.JsonSerializer.SerializeToNode(data),
    };

    public static object Certified(string state, string number, string certifiedOn = "2022-01-10", string name = "Ingested Person") => new
    {
        name, state, credential = "adult-peer", certificationNumber = number, certifiedOn, county = "Lane", rural = false, mhpsa = true,
    };

    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, params JsonObject[] events) =>
        client.PostAsync("/api/ingest/events", new StringContent(
            events.Length == 1 ? events[0].ToJsonString() : new JsonArray(events.Select(e => (JsonNode)e.DeepClone()).ToArray()).ToJsonString(),
            Encoding.UTF8, events.Length == 1 ? "application/cloudevents+json" : "application/cloudevents-batch+json"));

    public static async Task<List<(string Id, string Status, string? Rule)>> ResultsAsync(this HttpResponseMessage response)
    {
        await response.ShouldBe(HttpStatusCode.Accepted);
        return (await response.Json())["results"]!.AsArray()
            .Select(r => (r!["id"]!.GetValue<string>(), r["status"]!.GetValue<string>(), r["rule"]?.GetValue<string>())).ToList();
    }

    /// <summary>Until nothing accepted is still waiting to be applied.</summary>
    public static async Task SettledAsync(this IDocumentStore store)
    {
        for (var i = 0; i < 300; i++)
        {
            await using var session = store.QuerySession();
            if (!await session.Query<IngestedEvent>().AnyAsync(x => x.Status == IngestStatus.Pending)) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("accepted events were not applied within 30 s");
    }
}

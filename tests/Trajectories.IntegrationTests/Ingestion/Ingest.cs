using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Marten;
using Trajectories.Ingestion;

namespace Trajectories.IntegrationTests.Ingestion;

/// <summary>CloudEvents for tests, and waiting for accepted events to be applied.</summary>
public static class Ingest
{
    public static JsonObject Event(
        string kind, string? subject, object data, string? id = null, string source = "urn:test") => new()
    {
        ["specversion"] = "1.0", ["id"] = id ?? Guid.NewGuid().ToString(), ["source"] = source,
        ["type"] = $"org.trajectories.cps.{kind}.v1", ["subject"] = subject,
        ["time"] = DateTimeOffset.UtcNow.ToString("O"),
        ["data"] = System.Text.Json.JsonSerializer.SerializeToNode(data),
    };

    public static object Certified(
        string state, string number, string certifiedOn = "2022-01-10", string name = "Ingested Person") => new
    {
        name, state, credential = "adult-peer", certificationNumber = number, certifiedOn, county = "Lane",
        rural = false, mhpsa = true,
    };

    /// <summary>
    /// Person p's five events (certified, hired, two check-ins, promoted), with ids that are stable across calls, so
    /// sending the same person twice sends the same events: subject OR:{prefix}-{p}, status employed-peer at Peer II.
    /// </summary>
    public static JsonObject[] Career(int p, string prefix, string source)
    {
        var subject = $"OR:{prefix}-{p}";
        var certified = new DateOnly(2020, 1, 1).AddDays(p % 400);
        var job = new Guid(p, 0, 0, new byte[8]);
        var n = 0;
        JsonObject E(string kind, object data) => Event(kind, subject, data, id: $"{p}-{n++}-{kind}", source: source);
        return
        [
            E("certified", Certified("OR", $"{prefix}-{p}", certified.ToString("yyyy-MM-dd"), $"{prefix} Person {p}")),
            E("hired", new
            {
                jobId = job, employer = "E", title = "Peer", jobType = "peer", hoursPerWeek = 30, hourlyWage = 18,
                startedOn = certified.AddDays(30).ToString("yyyy-MM-dd")
            }),
            E("checked-in",
                new { checkedInOn = certified.AddDays(100).ToString("yyyy-MM-dd"), reportedStatus = "employed-peer" }),
            E("checked-in",
                new { checkedInOn = certified.AddDays(200).ToString("yyyy-MM-dd"), reportedStatus = "employed-peer" }),
            E("promoted",
                new { jobId = job, tier = "Peer II", effectiveOn = certified.AddDays(300).ToString("yyyy-MM-dd") }),
        ];
    }

    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, params JsonObject[] events) =>
        client.PostAsync("/api/ingest/events", new StringContent(
            events.Length == 1
                ? events[0].ToJsonString()
                : new JsonArray(events.Select(e => (JsonNode)e.DeepClone()).ToArray()).ToJsonString(),
            Encoding.UTF8, events.Length == 1 ? "application/cloudevents+json" : "application/cloudevents-batch+json"));

    public static async Task<List<(string Id, string Status, string? Rule)>> ResultsAsync(
        this HttpResponseMessage response)
    {
        await response.ShouldBe(HttpStatusCode.Accepted);
        return (await response.Json())["results"]!.AsArray()
            .Select(r => (r!["id"]!.GetValue<string>(), r["status"]!.GetValue<string>(),
                r["rule"]?.GetValue<string>())).ToList();
    }

    /// <summary>Until nothing accepted is still waiting to be applied.</summary>
    public static async Task SettledAsync(this IDocumentStore store)
    {
        for (var i = 0; i < 300; i++)
        {
            await using var session = store.QuerySession();
            if (await IngestLog.CountAsync(session, IngestStatus.Pending) == 0) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("accepted events were not applied within 30 s");
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Marten;

namespace Trajectories.IntegrationTests.Ingestion;

public sealed class UnlimitedIngestFixture : ServiceFixture
{
    protected override IEnumerable<(string Key, string Value)> Settings() => [("Ingest:RequestsPerSecond", "100000")];
}

public sealed class ThrottledIngestFixture : ServiceFixture
{
    protected override IEnumerable<(string Key, string Value)> Settings() => [("Ingest:RequestsPerSecond", "2")];
}

/// <summary>1,000 malformed or hostile payloads: no 5xx, no career event recorded, the service stays up.</summary>
public class junk(UnlimitedIngestFixture service) : IClassFixture<UnlimitedIngestFixture>
{
    private static readonly string[] Kinds = ["certified", "hired", "separated", "checked-in", "promoted"];

    /// <summary>Seeded, so a failure can be replayed: each payload is one of twelve kinds of damage.</summary>
    public static IEnumerable<byte[]> Payloads(int count, int seed = 7)
    {
        var random = new Random(seed);
        string Envelope(string type, string data, string? id = null, string subject = "\"OR:1\"") =>
            $$"""{"specversion":"1.0","id":{{id ?? $"\"{Guid.NewGuid()}\""}}""" +
            $$""","source":"urn:junk","type":"{{type}}","subject":{{subject}},"data":{{data}}}""";
        string Ours() => $"org.trajectories.cps.{Kinds[random.Next(Kinds.Length)]}.v1";
        for (var i = 0; i < count; i++)
        {
            yield return (i % 12) switch
            {
                // id of the wrong type
                0 => Encoding.UTF8.GetBytes(Envelope(Ours(), "{}", id: "12345")),
                // huge string
                1 => Encoding.UTF8.GetBytes(
                    Envelope(Ours(), $$"""{"name":"{{new string('x', 200_000 + random.Next(400_000))}}"}""")),
                // deep nesting
                2 => Encoding.UTF8.GetBytes(new string('[', 5000 + random.Next(1000)) + new string(']', 5000)),
                // bad dates
                3 => Encoding.UTF8.GetBytes(Envelope(Ours(),
                    """{"certifiedOn":"2022-13-45","startedOn":"yesterday","effectiveOn":"0000-00-00"}""")),
                // unknown type
                4 => Encoding.UTF8.GetBytes(Envelope($"org.evil.{random.Next()}.v9", "{}")),
                // invalid UTF-8
                5 => [0x7B, 0x22, 0x69, 0x64, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0xFF, 0xFE, 0x22, 0x7D],
                // noise
                6 => Enumerable.Range(0, 200 + random.Next(2000)).Select(_ => (byte)random.Next(256)).ToArray(),
                // nesting in data
                7 => Encoding.UTF8.GetBytes(Envelope(Ours(),
                    $$"""{"a":{{string.Concat(Enumerable.Repeat("{\"a\":", 40))}}1{{new string('}', 40)}}}""")),
                // wrong types
                8 => Encoding.UTF8.GetBytes(Envelope(Ours(),
                    """{"hoursPerWeek":"NaN","hourlyWage":1e309,"jobId":"not-a-guid","voluntary":"yes"}""")),
                // hostile subject
                9 => Encoding.UTF8.GetBytes(Envelope(Ours(), "null", subject: "\"'; drop table mt_events; --\"")),
                // subject not a string
                10 => Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Range(0, 20)
                    .Select(_ => Envelope(Ours(), "[1,2,3]", subject: "{\"x\":1}"))) + "]"),
                // control chars, lone surrogate
                _ => Encoding.UTF8.GetBytes(Envelope(Ours(),
                    $$"""{"name":"\u0000\ud800","state":"O""" +
                    $$"""\u0000R","certificationNumber":"{{new string('9', 100)}}","certifiedOn":"2022-01-10"}""")),
            };
        }
    }

    [Fact]
    public async Task junk_is_refused_without_a_5xx_and_records_nothing()
    {
        await using (var session = service.Store.QuerySession())
            Assert.Equal(0, await session.Events.QueryAllRawEvents().CountAsync());

        var statuses = new Dictionary<int, int>();
        foreach (var payload in Payloads(1000))
        {
            var content = new ByteArrayContent(payload);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json");
            var response = await service.Client.PostAsync("/api/ingest/events", content);
            var code = (int)response.StatusCode;
            statuses[code] = statuses.GetValueOrDefault(code) + 1;
            if (code >= 500)
            {
                var text = Encoding.UTF8.GetString(payload);
                Assert.Fail($"a {code} for: {text[..Math.Min(text.Length, 200)]}\n" +
                    $"{await response.Content.ReadAsStringAsync()}");
            }
            if (code != 202) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        await service.Store.SettledAsync();
        await using (var session = service.Store.QuerySession())
            Assert.Equal(0, await session.Events.QueryAllRawEvents().CountAsync());
        await (await service.Client.GetAsync("/health")).ShouldBe(HttpStatusCode.OK);
        Assert.True(
            statuses.Keys.All(k => k is 202 or 400 or 413),
            string.Join(", ", statuses.Select(kv => $"{kv.Key}: {kv.Value}")));
    }
}

public class ingest_rate_limit(ThrottledIngestFixture service) : IClassFixture<ThrottledIngestFixture>
{
    [Fact]
    public async Task a_caller_sending_faster_than_allowed_gets_429_with_retry_after()
    {
        // Sent at once: one after the other, a slow machine can take long enough for the bucket to refill.
        var codes = (await Task.WhenAll(Enumerable.Range(0, 16)
            .Select(_ => service.Client.SendAsync(Ingest.Event("frobbed", "OR:1", new { })))))
            .Select(r => r.StatusCode).ToList();
        Assert.Contains(HttpStatusCode.TooManyRequests, codes);
        var limited = await service.Client.SendAsync(Ingest.Event("frobbed", "OR:1", new { }));
        if (limited.StatusCode == HttpStatusCode.TooManyRequests)
        {
            await limited.ShouldBeProblem(HttpStatusCode.TooManyRequests, "rate-limited");
            Assert.NotNull(limited.Headers.RetryAfter);
        }
        // Other endpoints are not held back by it.
        await (await service.Client.GetAsync("/api/specialists")).ShouldBe(HttpStatusCode.OK);
    }
}

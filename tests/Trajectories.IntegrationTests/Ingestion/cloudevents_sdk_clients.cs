using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using CloudNative.CloudEvents.SystemTextJson;
using Marten;
using Trajectories.Careers;
using Trajectories.Ingestion;
using SdkEvent = CloudNative.CloudEvents.CloudEvent;

namespace Trajectories.IntegrationTests.Ingestion;

/// <summary>
/// The CNCF CloudEvents SDK for .NET as an integrator's client uses it: every HTTP content mode it sends (binary,
/// structured, batched) is taken with the same results, and the webhook handshake answers as the spec says.
/// </summary>
[Collection(ServiceCollection.Name)]
public class cloudevents_sdk_clients(ServiceFixture service)
{
    private static readonly JsonEventFormatter Formatter = new();
    private static string Number() => $"S{Guid.NewGuid():N}"[..16];

    private static SdkEvent Event(string kind, string subject, object data, string source, string? id = null) => new()
    {
        Id = id ?? Guid.NewGuid().ToString(), Source = new Uri(source), Type = $"org.trajectories.cps.{kind}.v1",
        Subject = subject, Time = DateTimeOffset.UtcNow, DataContentType = "application/json", Data = data,
    };

    private static object Hire(string startedOn = "2022-03-01") => new
    {
        employer = "Peer Run Org", title = "Peer", jobType = "peer", hoursPerWeek = 20, hourlyWage = 18, startedOn,
    };

    private static object CheckIn(string on) => new { checkedInOn = on, reportedStatus = "employed-peer" };

    private async Task<HttpClient> IntegrationAsync() =>
        service.ClientWith((await service.CreateKeyAsync(Roles.Integration, "OR")).Key);

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, HttpContent content) =>
        client.PostAsync("/api/ingest/events", content);

    private async Task<List<IngestedEvent>> LoggedAsync(string source)
    {
        await using var session = service.Store.QuerySession();
        return await IngestLogReads.FromSourceAsync(session, source);
    }

    [Fact]
    public async Task binary_structured_and_batched_events_from_the_sdk_are_recorded_alike()
    {
        var client = await IntegrationAsync();
        var number = Number();
        var subject = $"OR:{number}";
        var source = $"urn:board:{number}";
        var certified = Event("certified", subject, Ingest.Certified("OR", number, name: "Zoë Ñandú"), source);
        var binary = certified.ToHttpContent(ContentMode.Binary, Formatter);
        Assert.Contains("ce-id", binary.Headers.Select(h => h.Key));               // the SDK really sent binary mode
        Assert.Equal("application/json", binary.Headers.ContentType!.MediaType);
        var results = await (await PostAsync(client, binary)).ResultsAsync();
        Assert.Equal([(certified.Id!, "accepted", (string?)null)], results);

        var hired = Event("hired", subject, Hire(), source);
        results = await (await PostAsync(client, hired.ToHttpContent(ContentMode.Structured, Formatter)))
            .ResultsAsync();
        Assert.Equal("accepted", results.Single().Status);

        var checks = new[]
        {
            Event("checked-in", subject, CheckIn("2022-06-01"), source),
            Event("checked-in", subject, CheckIn("2022-09-01"), source),
        };
        results = await (await PostAsync(client, checks.ToHttpContent(Formatter))).ResultsAsync();
        Assert.Equal(["accepted", "accepted"], results.Select(r => r.Status));

        await service.Store.SettledAsync();
        await using var session = service.Store.QuerySession();
        var person = await session.Query<Specialist>()
            .SingleAsync(s => s.State == "OR" && s.CertificationNumber == number);
        Assert.Equal(["certified", "hired", "checked-in", "checked-in"],
            person.Entries.Select(e => CareerJson.KindOf(e.Event)));
        Assert.Equal("Zoë Ñandú", person.Name);                  // percent-encoded headers, UTF-8 body: read right

        // Whatever the mode, the log keeps one form: the event's structured JSON, which the SDK reads back as sent.
        var logged = await LoggedAsync(source);
        Assert.Equal(4, logged.Count);
        var stored = Formatter.DecodeStructuredModeMessage(
            Encoding.UTF8.GetBytes(logged.Single(l => l.EventId == certified.Id).Payload), null, null);
        Assert.Equal(certified.Id, stored.Id);
        Assert.Equal(certified.Source, stored.Source);
        Assert.Equal(certified.Type, stored.Type);
        Assert.Equal(certified.Subject, stored.Subject);
        Assert.Equal(certified.Time, stored.Time);
        Assert.Equal(number, ((System.Text.Json.JsonElement)stored.Data!).GetProperty("certificationNumber")
            .GetString());
    }

    [Fact]
    public async Task one_event_sent_in_binary_and_in_structured_mode_is_recorded_once()
    {
        var client = await IntegrationAsync();
        var number = Number();
        var source = $"urn:board:{number}";
        var certified = Event("certified", $"OR:{number}", Ingest.Certified("OR", number), source, id: "cert-1");
        var check = Event("checked-in", $"OR:{number}", CheckIn("2022-06-01"), source, id: "check-1");

        Assert.Equal("accepted", (await (await PostAsync(client,
            certified.ToHttpContent(ContentMode.Binary, Formatter))).ResultsAsync()).Single().Status);
        Assert.Equal("duplicate", (await (await PostAsync(client,
            certified.ToHttpContent(ContentMode.Structured, Formatter))).ResultsAsync()).Single().Status);
        // The other way round, and inside a batch.
        Assert.Equal("accepted", (await (await PostAsync(client,
            check.ToHttpContent(ContentMode.Structured, Formatter))).ResultsAsync()).Single().Status);
        Assert.Equal("duplicate", (await (await PostAsync(client,
            check.ToHttpContent(ContentMode.Binary, Formatter))).ResultsAsync()).Single().Status);
        Assert.Equal(["duplicate", "duplicate"], (await (await PostAsync(client,
            new[] { certified, check }.ToHttpContent(Formatter))).ResultsAsync()).Select(r => r.Status));

        await service.Store.SettledAsync();
        Assert.Equal(["cert-1", "check-1"], (await LoggedAsync(source)).Select(l => l.EventId).Order());
    }

    [Fact]
    public async Task an_idempotency_key_tells_two_binary_events_with_one_body_apart()
    {
        var client = await IntegrationAsync();
        var number = Number();
        var source = $"urn:board:{number}";
        var first = Event("certified", $"OR:{number}", Ingest.Certified("OR", number), source, id: "a");
        var second = Event("certified", $"OR:{number}", Ingest.Certified("OR", number), source, id: "b");
        second.Time = first.Time;
        HttpContent Binary(SdkEvent e) => e.ToHttpContent(ContentMode.Binary, Formatter);
        Assert.Equal(await Binary(first).ReadAsStringAsync(), await Binary(second).ReadAsStringAsync());

        async Task<HttpResponseMessage> Send(SdkEvent e)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest/events") { Content = Binary(e) };
            request.Headers.Add("Idempotency-Key", $"key-{number}");
            return await client.SendAsync(request);
        }
        await (await Send(first)).ResultsAsync();
        var replayed = await Send(first);
        Assert.True(replayed.Headers.Contains("Idempotent-Replayed"));
        // Same body, same key, another event (its id is a header): not the same request, so not its answer.
        await (await Send(second)).ShouldBeProblem((HttpStatusCode)422, "idempotency-key-reused");
        Assert.Equal(["a"], (await LoggedAsync(source)).Select(l => l.EventId));
    }

    [Fact]
    public async Task a_binary_event_that_is_not_cloudevents_is_refused_whole_and_nothing_is_recorded()
    {
        var client = await IntegrationAsync();
        var number = Number();
        var source = $"urn:board:{number}";
        HttpContent Binary() => Event("certified", $"OR:{number}", Ingest.Certified("OR", number), source)
            .ToHttpContent(ContentMode.Binary, Formatter);
        HttpContent With(string header, string? value)
        {
            var content = Binary();
            content.Headers.Remove(header);
            if (value is not null) content.Headers.TryAddWithoutValidation(header, value);
            return content;
        }

        var problem = await (await PostAsync(client, With("ce-specversion", "0.3")))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "not-cloudevents");
        Assert.Contains("ce-specversion", problem["errors"]!.AsObject().Select(e => e.Key));
        problem = await (await PostAsync(client, With("ce-id", null)))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "not-cloudevents");
        Assert.Equal("'ce-id' is required.", problem["errors"]!["ce-id"]![0]!.GetValue<string>());
        await (await PostAsync(client, With("ce-subject", "OR:%00x")))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "not-cloudevents");
        await (await PostAsync(client, With("ce-subject", "OR:%E9")))        // not UTF-8 once decoded
            .ShouldBeProblem(HttpStatusCode.BadRequest, "not-cloudevents");
        problem = await (await PostAsync(client, With("Content-Type", "text/plain")))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "not-cloudevents");
        Assert.Contains("Content-Type", problem["errors"]!.AsObject().Select(e => e.Key));

        var notJson = Binary();
        var garbage = new ByteArrayContent("{not json"u8.ToArray());
        foreach (var h in notJson.Headers) garbage.Headers.TryAddWithoutValidation(h.Key, h.Value);
        await (await PostAsync(client, garbage)).ShouldBeProblem(HttpStatusCode.BadRequest, "malformed-request");

        // ce- headers and a structured body at once. The SDK repeats the attributes as headers in structured mode,
        // which the HTTP binding allows and which is taken (see above); headers that say something else are not.
        var structured = Event("certified", $"OR:{number}", Ingest.Certified("OR", number), source)
            .ToHttpContent(ContentMode.Structured, Formatter);
        Assert.Contains("ce-id", structured.Headers.Select(h => h.Key));
        structured.Headers.Remove("ce-id");
        structured.Headers.TryAddWithoutValidation("ce-id", "another-event");
        await (await PostAsync(client, structured)).ShouldBeProblem(HttpStatusCode.BadRequest, "mixed-content-modes");
        // ... and a whole structured event sent as the data of a binary-mode one, or of a structured one: the same
        // refusal either way.
        var wrapped = Event("certified", $"OR:{number}", Ingest.Certified("OR", number), source);
        var inner = new ByteArrayContent(Formatter.EncodeStructuredModeMessage(wrapped, out _).ToArray());
        foreach (var h in Binary().Headers) inner.Headers.TryAddWithoutValidation(h.Key, h.Value);
        problem = await (await PostAsync(client, inner)).ShouldBeProblem(HttpStatusCode.BadRequest, "not-cloudevents");
        Assert.Contains("itself a CloudEvent", problem["errors"]!["ce-data"]?[0]?.GetValue<string>()
            ?? problem["errors"]!["data"]![0]!.GetValue<string>());
        var nested = Event("certified", $"OR:{number}", System.Text.Json.JsonDocument.Parse(
            Formatter.EncodeStructuredModeMessage(wrapped, out _)).RootElement, source);
        await (await PostAsync(client, nested.ToHttpContent(ContentMode.Structured, Formatter)))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "not-cloudevents");
        // An empty body is no data at all, not an event to keep as a rejection.
        var empty = new ByteArrayContent([]);
        foreach (var h in Binary().Headers) empty.Headers.TryAddWithoutValidation(h.Key, h.Value);
        await (await PostAsync(client, empty)).ShouldBeProblem(HttpStatusCode.BadRequest, "malformed-request");
        // ... and a batch with headers, which cannot describe its many events.
        var batch = new[] { wrapped }.ToHttpContent(Formatter);
        batch.Headers.TryAddWithoutValidation("ce-specversion", "1.0");
        await (await PostAsync(client, batch)).ShouldBeProblem(HttpStatusCode.BadRequest, "mixed-content-modes");

        Assert.Empty(await LoggedAsync(source));
    }

    [Fact]
    public async Task media_types_and_timestamps_are_compared_as_what_they_mean()
    {
        var client = await IntegrationAsync();
        var number = Number();
        var source = $"urn:board:{number}";
        // Media types are case-insensitive (RFC 9110).
        var upper = Event("certified", $"OR:{number}", Ingest.Certified("OR", number), source)
            .ToHttpContent(ContentMode.Binary, Formatter);
        upper.Headers.Remove("Content-Type");
        upper.Headers.TryAddWithoutValidation("Content-Type", "Application/JSON; charset=UTF-8");
        Assert.Equal("accepted", (await (await PostAsync(client, upper)).ResultsAsync()).Single().Status);

        // A header repeating the body's time with more digits than .NET keeps still says the same.
        foreach (var (id, time) in new[] { ("t9", "2024-05-01T10:00:00.123456789Z"),
                     ("t19", "2024-05-01T10:00:00.1234567890123456789Z") })
        {
            var body = $$$"""
                {"specversion":"1.0","id":"{{{id}}}","source":"{{{source}}}",
                 "type":"org.trajectories.cps.checked-in.v1","subject":"OR:{{{number}}}","time":"{{{time}}}",
                 "data":{"checkedInOn":"2024-05-01","reportedStatus":"employed-peer"}}
                """;
            var content = new StringContent(body, Encoding.UTF8, "application/cloudevents+json");
            content.Headers.TryAddWithoutValidation("ce-time", time);
            content.Headers.TryAddWithoutValidation("ce-id", id);
            Assert.Equal("accepted", (await (await PostAsync(client, content)).ResultsAsync()).Single().Status);
        }
    }

    [Fact]
    public async Task an_idempotency_key_tells_two_header_values_from_one_value_with_a_comma()
    {
        var (_, key) = await service.CreateKeyAsync(Roles.Integration, "OR");
        var number = Number();
        var data = System.Text.Json.JsonSerializer.Serialize(Ingest.Certified("OR", number));
        // Raw HTTP/1.1: HttpClient joins repeated headers into one line, which is the other case.
        async Task<int> Send(params string[] foo)
        {
            using var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync(service.BaseAddress.Host, service.BaseAddress.Port);
            var request = "POST /api/ingest/events HTTP/1.1\r\n" +
                $"Host: {service.BaseAddress.Authority}\r\nAuthorization: Bearer {key}\r\n" +
                $"Idempotency-Key: key-{number}\r\nContent-Type: application/json\r\n" +
                $"ce-specversion: 1.0\r\nce-id: x\r\nce-source: urn:board:{number}\r\n" +
                "ce-type: org.trajectories.cps.certified.v1\r\n" +
                string.Concat(foo.Select(v => $"ce-foo: {v}\r\n")) +
                $"Content-Length: {Encoding.UTF8.GetByteCount(data)}\r\nConnection: close\r\n\r\n{data}";
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.UTF8.GetBytes(request));
            using var reader = new StreamReader(stream);
            var status = await reader.ReadLineAsync();
            return int.Parse(status!.Split(' ')[1]);
        }
        Assert.Equal(400, await Send("a", "b"));      // 'ce-foo' twice: not CloudEvents
        Assert.Equal(422, await Send("a,b"));         // a valid request, but not the one the key was used for
    }

    [Fact]
    public async Task the_webhook_handshake_allows_the_configured_origin_at_the_ingestion_rate_and_no_other()
    {
        using var anonymous = service.ClientWith(null);
        HttpRequestMessage Ask(string? origin, string? rate = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "/api/ingest/events");
            if (origin is not null) request.Headers.Add(WebhookHandshake.RequestOrigin, origin);
            if (rate is not null) request.Headers.Add(WebhookHandshake.RequestRate, rate);
            return request;
        }

        var allowed = await anonymous.SendAsync(Ask("board.example.org"));
        await allowed.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("board.example.org", allowed.Headers.GetValues(WebhookHandshake.AllowedOrigin).Single());
        Assert.Equal("6000", allowed.Headers.GetValues(WebhookHandshake.AllowedRate).Single()); // 100/s per key
        Assert.Contains("POST", allowed.Content.Headers.Allow);
        var slower = await anonymous.SendAsync(Ask("BOARD.example.org", rate: "120"));
        await slower.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("BOARD.example.org", slower.Headers.GetValues(WebhookHandshake.AllowedOrigin).Single());
        Assert.Equal("120", slower.Headers.GetValues(WebhookHandshake.AllowedRate).Single());

        var other = await anonymous.SendAsync(Ask("evil.example.com"));
        await other.ShouldBeProblem(HttpStatusCode.Forbidden, "webhook-origin-not-allowed");
        Assert.False(other.Headers.Contains(WebhookHandshake.AllowedOrigin));
        await (await anonymous.SendAsync(Ask(null))).ShouldBeProblem(HttpStatusCode.BadRequest,
            "webhook-origin-missing");
        await (await anonymous.SendAsync(Ask("board.example.org", rate: "lots"))).ShouldBeProblem(
            HttpStatusCode.BadRequest, "webhook-rate-invalid");
        foreach (var bad in new[] { "board.example.org, evil.example.com", "-.-", "board..example.org", ":::" })
            await (await anonymous.SendAsync(Ask(bad))).ShouldBeProblem(HttpStatusCode.BadRequest,
                "webhook-origin-invalid");
        // The fully qualified name (a final dot) is the same name; a rate above ours gets ours.
        var qualified = await anonymous.SendAsync(Ask("board.example.org.", rate: "99999999999"));
        await qualified.ShouldBe(HttpStatusCode.OK);
        Assert.Equal("6000", qualified.Headers.GetValues(WebhookHandshake.AllowedRate).Single());
        // The handshake opens nothing: delivering still takes an integration key.
        await (await anonymous.PostAsync("/api/ingest/events", new StringContent("{}")))
            .ShouldBe(HttpStatusCode.Unauthorized);
    }
}

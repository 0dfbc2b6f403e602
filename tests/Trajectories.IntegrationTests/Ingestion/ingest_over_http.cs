using System.Net;
using System.Net.Http.Json;
using System.Text;
using Marten;
using Trajectories.Careers;
using Trajectories.Ingestion;

namespace Trajectories.IntegrationTests.Ingestion;

[Collection(ServiceCollection.Name)]
public class ingest_over_http(ServiceFixture service)
{
    private static string Number() => $"N{Guid.NewGuid():N}"[..16];

    private async Task<Specialist?> ByNumberAsync(string state, string number)
    {
        await using var session = service.Store.QuerySession();
        return await session.Query<Specialist>()
            .Where(s => s.State == state && s.CertificationNumber == number).FirstOrDefaultAsync();
    }

    [Fact]
    public async Task a_batch_is_answered_event_by_event_and_its_good_events_are_recorded()
    {
        var number = Number();
        var subject = $"OR:{number}";
        var hire = new
        {
            employer = "Peer Run Org", title = "Peer", jobType = "peer",
            hoursPerWeek = 20, hourlyWage = 18, startedOn = "2022-03-01"
        };
        var batch = new[]
        {
            Ingest.Event("certified", subject, Ingest.Certified("OR", number), id: "c-" + number),
            Ingest.Event("hired", subject, hire, id: "h-" + number),
            Ingest.Event("hired", subject, hire, id: "h-" + number),   // the same event again
            Ingest.Event("frobbed", subject, new { }),                 // not a type we take
            Ingest.Event("hired", subject, new { employer = "X" }),    // rule: fields missing
            Ingest.Event("checked-in", $"OR:unknown-{number}",
                new { checkedInOn = "2024-01-01", reportedStatus = "employed-peer" }),
            Ingest.Event("separated", subject,
                new { jobId = Guid.NewGuid(), reason = "burnout", voluntary = true, effectiveOn = "2023-01-01" }),
        };
        var results = await (await service.Client.SendAsync(batch)).ResultsAsync();
        Assert.Equal(
            ["accepted", "accepted", "duplicate", "rejected", "rejected", "accepted", "accepted"],
            results.Select(r => r.Status));
        Assert.Equal("unknown-type", results[3].Rule);
        // What the request alone decides is answered at once (the contract, ADR 10), not when it is applied.
        Assert.Equal("missing-field", results[4].Rule);
        Assert.Equal(batch.Select(b => b["id"]!.GetValue<string>()), results.Select(r => r.Id));

        await service.Store.SettledAsync();
        var person = await ByNumberAsync("OR", number);
        Assert.NotNull(person);
        Assert.Equal(["certified", "hired"], person!.Entries.Select(e => CareerJson.KindOf(e.Event)));
        Assert.Equal("employed-peer", person.Status);
        // Who and through which channel: the key and the integration source.
        Assert.Equal("integration", person.Entries[1].Role);
        Assert.Equal("integration:urn:test", person.Entries[1].Channel);

        // The rule violations found when applying are listed with their payload, by rule.
        var rejected =
            await (await service.Client.GetAsync("/api/ingest/rejections?source=urn:test&pageSize=200")).Json();
        var rules = rejected["items"]!.AsArray()
            .Where(x => batch.Any(b => b["id"]!.GetValue<string>() == x!["eventId"]!.GetValue<string>()))
            .Select(x => x!["rule"]!.GetValue<string>()).Order().ToList();
        // unknown type, missing fields, unknown person, a separation from a job never held: four rejections.
        Assert.Equal(4, rules.Count);
        Assert.Contains("unknown-type", rules);
        Assert.Contains("specialist-not-found", rules);
    }

    [Fact]
    public async Task an_event_for_an_unknown_person_waits_and_is_applied_when_the_person_is_certified()
    {
        var number = Number();
        var checkIn = Ingest.Event("checked-in", $"WA:{number}",
            new { checkedInOn = "2024-01-01", reportedStatus = "seeking-peer-work" });
        Assert.Equal("accepted", (await (await service.Client.SendAsync(checkIn)).ResultsAsync())[0].Status);
        await service.Store.SettledAsync();
        var page = await (await service.Client.GetAsync(
            "/api/ingest/rejections?rule=specialist-not-found&pageSize=200")).Json();
        var rejection = page["items"]!.AsArray()
            .Single(x => x!["eventId"]!.GetValue<string>() == checkIn["id"]!.GetValue<string>())!;
        Assert.Equal("checked-in", rejection["payload"]!["type"]!.GetValue<string>().Split('.')[3]);

        // The certification arrives: the waiting check-in follows it, nobody presses retry.
        Assert.Equal(
            "accepted",
            (await (await service.Client.SendAsync(Ingest.Event("certified", null, Ingest.Certified("WA", number))))
                .ResultsAsync())[0].Status);
        await service.Store.SettledAsync();
        Assert.IsType<CheckedIn>((await ByNumberAsync("WA", number))!.Entries[^1].Event);
        await (await service.Client.PostAsync($"/api/ingest/rejections/{rejection["id"]}/retry", null))
            .ShouldBeProblem(HttpStatusCode.Conflict, "not-rejected");
        Assert.Equal("duplicate", (await (await service.Client.SendAsync(checkIn)).ResultsAsync())[0].Status);
    }

    [Fact]
    public async Task a_rejected_event_is_applied_on_retry_once_its_cause_is_fixed()
    {
        var number = Number();
        var subject = $"WA:{number}";
        var job = Guid.NewGuid();
        await (await service.Client.SendAsync(Ingest.Event("certified", subject, Ingest.Certified("WA", number))))
            .ResultsAsync();
        // The separation from a job the HR system has not sent yet is refused by the history's rules...
        var separation = Ingest.Event("separated", subject,
            new { jobId = job, reason = "relocation", voluntary = true, effectiveOn = "2023-06-30" });
        await (await service.Client.SendAsync(separation)).ResultsAsync();
        await service.Store.SettledAsync();
        var page = await (await service.Client.GetAsync($"/api/ingest/rejections?source=urn:test&pageSize=200")).Json();
        var rejection = page["items"]!.AsArray()
            .Single(x => x!["eventId"]!.GetValue<string>() == separation["id"]!.GetValue<string>())!;

        // ...the hire comes, then the retry applies the separation.
        await (await service.Client.SendAsync(Ingest.Event("hired", subject, new
        {
            jobId = job, employer = "E", title = "Peer", jobType = "peer",
            hoursPerWeek = 30, hourlyWage = 18, startedOn = "2022-03-01"
        }))).ResultsAsync();
        await service.Store.SettledAsync();
        await (await service.Client.PostAsync($"/api/ingest/rejections/{rejection["id"]}/retry", null))
            .ShouldBe(HttpStatusCode.Accepted);
        await service.Store.SettledAsync();
        var person = (await ByNumberAsync("WA", number))!;
        Assert.IsType<Separated>(person.Entries[^1].Event);
        Assert.Equal("not-employed", person.Status);
        // Retrying what is no longer rejected is a conflict; sending it again is a duplicate.
        await (await service.Client.PostAsync($"/api/ingest/rejections/{rejection["id"]}/retry", null))
            .ShouldBeProblem(HttpStatusCode.Conflict, "not-rejected");
        Assert.Equal("duplicate", (await (await service.Client.SendAsync(separation)).ResultsAsync())[0].Status);
    }

    [Fact]
    public async Task late_events_are_placed_by_their_effective_date()
    {
        var number = Number();
        var subject = $"ID:{number}";
        var job = Guid.NewGuid();
        await (await service.Client.SendAsync(
            Ingest.Event("certified", subject, Ingest.Certified("ID", number)),
            Ingest.Event("hired", subject, new
            {
                jobId = job, employer = "E", title = "Peer", jobType = "peer",
                hoursPerWeek = 30, hourlyWage = 18, startedOn = "2022-03-01"
            }),
            Ingest.Event("separated", subject,
                new { jobId = job, reason = "burnout", voluntary = true, effectiveOn = "2024-01-01" }))).ResultsAsync();
        // Arrives last, happened in between.
        await (await service.Client.SendAsync(
            Ingest.Event("promoted", subject, new { jobId = job, tier = "Peer II", effectiveOn = "2023-01-01" })))
            .ResultsAsync();
        await service.Store.SettledAsync();
        var id = (await ByNumberAsync("ID", number))!.Id;
        var mid = await service.Client.SpecialistAsync(id, "2023-06-01");
        Assert.Equal("Peer II", mid["jobs"]![0]!["tier"]!.GetValue<string>());
        Assert.Equal(
            ["certified", "hired", "promoted", "separated"],
            (await service.Client.TimelineAsync(id)).Select(e => e!["type"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("{not json", "malformed-request")]
    [InlineData("42", "not-cloudevents")]
    [InlineData("[]", "not-cloudevents")]
    [InlineData("""{"specversion":"1.0","source":"s","type":"t"}""", "not-cloudevents")]
    [InlineData(
        """[{"specversion":"1.0","id":"a","source":"s","type":"t"},""" +
        """{"specversion":"0.3","id":"b","source":"s","type":"t"}]""",
        "not-cloudevents")]
    [InlineData("""{"specversion":"1.0","id":"a","source":"s","type":"t","data_base64":"AAAA"}""", "not-cloudevents")]
    public async Task a_body_that_is_not_cloudevents_is_a_400_and_records_nothing(string body, string rule)
    {
        var before = await CountsAsync();
        var response = await service.Client.PostAsync("/api/ingest/events",
            new StringContent(body, Encoding.UTF8, "application/cloudevents+json"));
        await response.ShouldBeProblem(HttpStatusCode.BadRequest, rule);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task too_many_events_or_too_many_bytes_is_a_413()
    {
        var many = Enumerable.Range(0, CloudEvents.MaxBatch + 1)
            .Select(_ => Ingest.Event("checked-in", "OR:x", new { })).ToArray();
        await (await service.Client.SendAsync(many))
            .ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge, "batch-too-large");
        var big = Ingest.Event("checked-in", "OR:x", new { note = new string('x', 1024 * 1024) });
        // Expect: 100-continue, as a careful client sends a large body: the server refuses on the headers (its
        // Content-Length), before the body is sent. Without it the refusal can race the upload (a broken pipe).
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest/events")
        {
            Content = new StringContent(big.ToJsonString(), Encoding.UTF8, "application/cloudevents+json"),
        };
        request.Headers.ExpectContinue = true;
        await (await service.Client.SendAsync(request))
            .ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge, "request-too-large");
    }

    [Fact]
    public async Task the_same_event_sent_at_once_many_times_is_recorded_once()
    {
        var number = Number();
        var certified = Ingest.Event("certified", null, Ingest.Certified("NV", number));
        var answers = await Task.WhenAll(Enumerable.Range(0, 12)
            .Select(async _ => (await (await service.Client.SendAsync(certified)).ResultsAsync())[0].Status));
        Assert.Equal(1, answers.Count(a => a == "accepted"));
        Assert.Equal(11, answers.Count(a => a == "duplicate"));
        await service.Store.SettledAsync();
        await using var session = service.Store.QuerySession();
        Assert.Equal(
            1,
            await session.Query<Specialist>().CountAsync(s => s.State == "NV" && s.CertificationNumber == number));
    }

    [Fact]
    public async Task an_integration_key_records_only_within_its_states()
    {
        using var oregon = service.ClientWith((await service.CreateKeyAsync("integration", "OR")).Key);
        var results = await (await oregon.SendAsync(
            Ingest.Event("certified", null, Ingest.Certified("WA", Number())),
            Ingest.Event("certified", null, Ingest.Certified("OR", Number())))).ResultsAsync();
        Assert.Equal([("rejected", "state-out-of-scope"), ("accepted", null)], results.Select(r => (r.Status, r.Rule)));
        // Staff endpoints stay closed to it.
        await (await oregon.GetAsync("/api/specialists")).ShouldBe(HttpStatusCode.Forbidden);
    }

    private async Task<(long Events, int Keys)> CountsAsync()
    {
        await using var session = service.Store.QuerySession();
        var events = await session.Events.QueryAllRawEvents().CountAsync();
        var keys = (int)await IngestLog.CountAsync(session);
        return (events, keys);
    }
}

[Collection(ServiceCollection.Name)]
public class the_documented_example(ServiceFixture service)
{
    [Fact]
    public async Task the_example_batch_in_the_docs_is_accepted_and_applied()
    {
        var body = await File.ReadAllTextAsync(Path.Combine(Repository.Root(), "docs/ingestion/examples/batch.json"));
        var response = await service.Client.PostAsync("/api/ingest/events",
            new StringContent(body, Encoding.UTF8, "application/cloudevents-batch+json"));
        Assert.All(await response.ResultsAsync(), r => Assert.Equal("accepted", r.Status));
        await service.Store.SettledAsync();
        await using var session = service.Store.QuerySession();
        var person = await session.Query<Specialist>()
            .SingleAsync(s => s.State == "OR" && s.CertificationNumber == "PS-48213");
        Assert.Equal(3, person.Entries.Count);
        Assert.Equal("employed-peer", person.Status);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using Marten;
using Trajectories.Careers;
using Trajectories.Ingestion;

namespace Trajectories.IntegrationTests.Ingestion;

/// <summary>
/// What an event's request alone decides is answered in the 202 at once, and what PostgreSQL cannot store is refused
/// at the door on every channel, so one bad event never strands the good ones sent with it.
/// </summary>
[Collection(ServiceCollection.Name)]
public class first_checks_and_poison(ServiceFixture service)
{
    private static string Number() => $"P{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task rules_that_need_no_history_are_answered_in_the_response()
    {
        var number = Number();
        var subject = $"OR:{number}";
        await (await service.Client.SendAsync(Ingest.Event("certified", subject, Ingest.Certified("OR", number))))
            .ResultsAsync();
        await service.Store.SettledAsync();
        var job = Guid.NewGuid();
        await (await service.Client.SendAsync(Ingest.Event("hired", subject, new
        {
            jobId = job, employer = "E", title = "Peer", jobType = "peer", hoursPerWeek = 30, hourlyWage = 18,
            startedOn = "2022-03-01",
        }))).ResultsAsync();
        await service.Store.SettledAsync();

        var results = await (await service.Client.SendAsync(
            Ingest.Event("promoted", subject, new { jobId = job, tier = "Peer II", effectiveOn = "2023-01-01" }),
            Ingest.Event("promoted", $"OR:unknown-{number}",
                new { jobId = job, tier = "Peer II", effectiveOn = "2023-01-01" }),
            Ingest.Event("separated", subject,
                new { jobId = job, reason = "burnout", voluntary = true, effectiveOn = "2099-01-01" }),
            Ingest.Event("separated", subject,
                new { jobId = job, reason = "bored", voluntary = true, effectiveOn = "2024-01-01" }),
            Ingest.Event("checked-in", subject,
                new { checkedInOn = "2024-01-01", reportedStatus = "employed-peer", exhaustion = 9 })))
            .ResultsAsync();

        Assert.Equal(["accepted", "accepted", "rejected", "rejected", "rejected"], results.Select(r => r.Status));
        Assert.Equal(["future-date", "invalid-value", "out-of-range"], results.Skip(2).Select(r => r.Rule));
        await service.Store.SettledAsync();
        await using var session = service.Store.QuerySession();
        var rejected = await IngestLog.CountAsync(session, IngestStatus.Rejected);
        Assert.True(rejected >= 3, "rejections at acceptance are kept in the log");
    }

    [Fact]
    public async Task a_name_postgresql_cannot_store_is_refused_and_strands_nothing()
    {
        var numbers = Enumerable.Range(0, 5).Select(_ => Number()).ToList();
        var batch = numbers.Select((n, i) => Ingest.Event("certified", $"OR:{n}",
            Ingest.Certified("OR", n, name: i == 2 ? "Ingrid\u0000 Nul" : $"Person {i}"))).ToArray();
        var results = await (await service.Client.SendAsync(batch)).ResultsAsync();

        Assert.Equal(["accepted", "accepted", "rejected", "accepted", "accepted"], results.Select(r => r.Status));
        Assert.Equal("invalid-character", results[2].Rule);
        await service.Store.SettledAsync();
        await using var session = service.Store.QuerySession();
        var recorded = await session.Query<Specialist>().Where(s => s.CertificationNumber.IsOneOf(numbers.ToArray()))
            .Select(s => s.CertificationNumber).ToListAsync();
        Assert.Equal(numbers.Where((_, i) => i != 2).Order(), recorded.Order());
        Assert.Equal(0, await IngestLog.CountAsync(session, IngestStatus.Pending));
    }

    [Fact]
    public async Task staff_hear_a_400_for_the_same_name()
    {
        var body = CareerApi.Registration(name: "Ingrid\u0000 Nul");
        var response = await service.Client.PostAsJsonAsync("/api/specialists", body);
        var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest, "invalid-character");
        Assert.Contains("'name'", problem["detail"]!.GetValue<string>());
        var surrogate = await service.Client.PostAsync("/api/specialists", new StringContent(
            CareerApi.RegistrationJson().Replace("\"Ada Lovelace\"", "\"Ada \\ud800\""), Encoding.UTF8,
            "application/json"));
        // System.Text.Json refuses to read half a surrogate pair: the body is not the JSON it claims to be.
        await surrogate.ShouldBeProblem(HttpStatusCode.BadRequest, "malformed-request");
    }

    [Fact]
    public async Task control_characters_in_an_attribute_refuse_the_body()
    {
        var e = Ingest.Event("checked-in", "OR:x", new { checkedInOn = "2024-01-01", reportedStatus = "employed-peer" },
            id: "id-with-\u0000-nul");
        var response = await service.Client.SendAsync(e);
        await response.ShouldBeProblem(HttpStatusCode.BadRequest, "not-cloudevents");
    }

    [Fact]
    public async Task a_correlation_id_is_kept_only_when_it_is_a_plain_token()
    {
        var number = Number();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest/events")
        {
            Content = new StringContent(
                Ingest.Event("certified", $"OR:{number}", Ingest.Certified("OR", number)).ToJsonString(),
                Encoding.UTF8, "application/cloudevents+json"),
        };
        request.Headers.TryAddWithoutValidation("X-Correlation-Id", "<script>alert(1)</script>");
        (await service.Client.SendAsync(request)).EnsureSuccessStatusCode();
        await service.Store.SettledAsync();
        await using var session = service.Store.QuerySession();
        var person = await session.Query<Specialist>().SingleAsync(s => s.CertificationNumber == number);
        Assert.DoesNotContain("<", person.Entries[0].CorrelationId ?? "");
    }

    [Fact]
    public async Task a_batch_whose_every_event_is_rejected_keeps_its_rejections()
    {
        var source = $"urn:all-rejected:{Guid.NewGuid():N}";
        var results = await (await service.Client.SendAsync(
            Ingest.Event("frobbed", "OR:1", new { }, source: source),
            Ingest.Event("checked-in", "OR:1", new { checkedInOn = "2099-01-01", reportedStatus = "employed-peer" },
                source: source))).ResultsAsync();
        Assert.All(results, r => Assert.Equal("rejected", r.Status));
        var listed = await (await service.Client.GetAsync($"/api/ingest/rejections?source={source}")).Json();
        Assert.Equal(2, listed["total"]!.GetValue<long>());
    }
}

[Collection(ServiceCollection.Name)]
public class event_status_lookup(ServiceFixture service)
{
    private async Task<string> StatusAsync(HttpClient client, string source, string id)
    {
        var response = await client.GetAsync(
            $"/api/ingest/events?source={Uri.EscapeDataString(source)}&id={Uri.EscapeDataString(id)}");
        await response.ShouldBe(HttpStatusCode.OK);
        return (await response.Json())["status"]!.GetValue<string>();
    }

    [Fact]
    public async Task an_integrator_looks_up_any_event_it_sent_and_only_those()
    {
        var (_, key) = await service.CreateKeyAsync(Roles.Integration);
        var integration = service.ClientWith(key);
        var source = $"urn:lookup:{Guid.NewGuid():N}";
        var number = $"L{Guid.NewGuid():N}"[..16];
        var subject = $"OR:{number}";
        var checkIn = new { checkedInOn = "2024-01-01", reportedStatus = "employed-peer" };
        await (await integration.SendAsync(Ingest.Event("checked-in", subject, checkIn, id: "early", source: source)))
            .ResultsAsync();
        await service.Store.SettledAsync();
        Assert.Equal("waiting", await StatusAsync(integration, source, "early"));

        await (await integration.SendAsync(
            Ingest.Event("checked-in", subject, new { checkedInOn = "2099-01-01", reportedStatus = "employed-peer" },
                id: "future", source: source),
            Ingest.Event("certified", subject, Ingest.Certified("OR", number), id: "cert", source: source)))
            .ResultsAsync();
        await service.Store.SettledAsync();
        Assert.Equal("rejected", await StatusAsync(integration, source, "future"));
        Assert.Equal("applied", await StatusAsync(integration, source, "cert"));
        Assert.Equal("applied", await StatusAsync(integration, source, "early"));

        var (_, otherKey) = await service.CreateKeyAsync(Roles.Integration);
        await (await service.ClientWith(otherKey).GetAsync($"/api/ingest/events?source={source}&id=cert"))
            .ShouldBeProblem(HttpStatusCode.NotFound, "event-not-found");
        await (await integration.GetAsync($"/api/ingest/events?source={source}&id=never-sent"))
            .ShouldBeProblem(HttpStatusCode.NotFound, "event-not-found");
        await (await integration.GetAsync("/api/ingest/events?id=x"))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "missing-field");
    }
}

[Collection(ServiceCollection.Name)]
public class sources_belong_to_their_keys(ServiceFixture service)
{
    private static System.Text.Json.Nodes.JsonObject Certified(string state, string source, string id)
    {
        var number = $"S{Guid.NewGuid():N}"[..16];
        return Ingest.Event("certified", $"{state}:{number}", Ingest.Certified(state, number), id: id, source: source);
    }

    [Fact]
    public async Task an_event_out_of_a_keys_states_reserves_nothing()
    {
        var source = $"urn:tx:board:{Guid.NewGuid():N}";
        var (_, oregonKey) = await service.CreateKeyAsync(Roles.Integration, "OR");
        var squat = await (await service.ClientWith(oregonKey).SendAsync(Certified("TX", source, "tx-board-0002")))
            .ResultsAsync();
        Assert.Equal(("rejected", "state-out-of-scope"), (squat[0].Status, squat[0].Rule));

        var (_, texasKey) = await service.CreateKeyAsync(Roles.Integration, "TX");
        var real = await (await service.ClientWith(texasKey).SendAsync(Certified("TX", source, "tx-board-0002")))
            .ResultsAsync();
        Assert.Equal("accepted", real[0].Status);
    }

    [Fact]
    public async Task an_event_about_someone_out_of_the_keys_states_reserves_nothing_however_it_names_them()
    {
        var source = $"urn:tx:hr:{Guid.NewGuid():N}";
        var texan = await service.Client.RegisterAsync(state: "TX");
        var (_, oregonKey) = await service.CreateKeyAsync(Roles.Integration, "OR");
        var oregon = service.ClientWith(oregonKey);
        var checkIn = new { checkedInOn = "2024-05-01", reportedStatus = "employed-peer" };
        var future = new { checkedInOn = "2099-05-01", reportedStatus = "employed-peer" };
        var squats = await (await oregon.SendAsync(
            Ingest.Event("checked-in", texan.ToString(), checkIn, id: "hr-1", source: source),
            Ingest.Event("checked-in", "TX:TX-2002", future, id: "hr-7", source: source),
            Ingest.Event("checked-in", Guid.NewGuid().ToString(), checkIn, id: "hr-9", source: source)))
            .ResultsAsync();
        Assert.All(squats, r => Assert.Equal(("rejected", "specialist-not-found"), (r.Status, r.Rule)));

        var (_, texasKey) = await service.CreateKeyAsync(Roles.Integration, "TX");
        var real = await (await service.ClientWith(texasKey).SendAsync(
            Ingest.Event("checked-in", texan.ToString(), checkIn, id: "hr-1", source: source),
            Ingest.Event("checked-in", texan.ToString(), checkIn, id: "hr-7", source: source))).ResultsAsync();
        Assert.All(real, r => Assert.Equal("accepted", r.Status));
    }

    [Fact]
    public async Task a_bound_source_stays_bound_while_its_key_is_rotated_and_in_any_case()
    {
        var source = $"urn:rotating:{Guid.NewGuid():N}";
        var created = await (await service.Client.PostAsJsonAsync("/api/keys",
            new { role = "integration", sources = new[] { source } })).Json();
        (await service.Client.DeleteAsync($"/api/keys/{created["id"]!.GetValue<Guid>()}")).EnsureSuccessStatusCode();
        var (_, otherKey) = await service.CreateKeyAsync(Roles.Integration);
        var other = service.ClientWith(otherKey);
        foreach (var spelling in new[] { source, source.ToUpperInvariant() })
        {
            var results = await (await other.SendAsync(Certified("OR", spelling, Guid.NewGuid().ToString())))
                .ResultsAsync();
            Assert.Equal(("rejected", "source-not-allowed"), (results[0].Status, results[0].Rule));
        }
        await (await other.SendAsync(Certified("OR", source + " ", "padded")))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "not-cloudevents");
        await (await other.SendAsync(Certified("OR", source + "\u200b", "invisible")))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "not-cloudevents");
    }

    [Fact]
    public async Task a_source_created_with_a_key_is_that_keys_alone()
    {
        var source = $"urn:or:board:{Guid.NewGuid():N}";
        var created = await service.Client.PostAsJsonAsync("/api/keys",
            new { role = "integration", name = "Oregon board", sources = new[] { source } });
        await created.ShouldBe(HttpStatusCode.Created);
        var board = service.ClientWith((await created.Json())["key"]!.GetValue<string>());
        var (_, otherKey) = await service.CreateKeyAsync(Roles.Integration);
        var other = service.ClientWith(otherKey);

        var stolen = await (await other.SendAsync(Certified("OR", source, "or-1"))).ResultsAsync();
        Assert.Equal(("rejected", "source-not-allowed"), (stolen[0].Status, stolen[0].Rule));
        var elsewhere = await (await board.SendAsync(Certified("OR", "urn:somewhere-else", "x-1"))).ResultsAsync();
        Assert.Equal(("rejected", "source-not-allowed"), (elsewhere[0].Status, elsewhere[0].Rule));
        var own = await (await board.SendAsync(Certified("OR", source, "or-1"))).ResultsAsync();
        Assert.Equal("accepted", own[0].Status);

        var analyst = await service.Client.PostAsJsonAsync("/api/keys",
            new { role = "analyst", sources = new[] { "urn:x" } });
        await analyst.ShouldBeProblem(HttpStatusCode.BadRequest, "sources-for-integrations");
    }
}

[Collection(ServiceCollection.Name)]
public class a_failing_event_is_isolated(ServiceFixture service)
{
    /// <summary>
    /// PostgreSQL itself refuses one event (a trigger stands for any fault the first checks cannot foresee): the others
    /// of its message are applied, and it becomes a rejection with its rule, not a dead letter.
    /// </summary>
    [Fact]
    public async Task the_good_events_of_its_message_are_applied_and_it_is_rejected()
    {
        var marker = $"POISON{Guid.NewGuid():N}";
        var schema = service.Store.Options.Events.DatabaseSchemaName;
        await using (var connection = new Npgsql.NpgsqlConnection(service.ConnectionString))
        {
            await connection.OpenAsync();
            await using var trigger = new Npgsql.NpgsqlCommand($"""
                create or replace function {schema}.refuse_{marker}() returns trigger language plpgsql as $$
                begin
                  if new.data::text like '%{marker}%' then raise exception 'refused by the test'; end if;
                  return new;
                end $$;
                create trigger refuse_{marker} before insert on {schema}.mt_events
                  for each row execute function {schema}.refuse_{marker}();
                """, connection);
            await trigger.ExecuteNonQueryAsync();
        }
        var numbers = Enumerable.Range(0, 4).Select(_ => $"Q{Guid.NewGuid():N}"[..16]).ToList();
        var batch = numbers.Select((n, i) => Ingest.Event("certified", $"OR:{n}",
            Ingest.Certified("OR", n, name: i == 1 ? marker : $"Person {i}"), id: $"{marker}-{i}")).ToArray();
        var results = await (await service.Client.SendAsync(batch)).ResultsAsync();
        Assert.All(results, r => Assert.Equal("accepted", r.Status));

        await service.Store.SettledAsync();
        await using var session = service.Store.QuerySession();
        var recorded = await session.Query<Specialist>().Where(s => s.CertificationNumber.IsOneOf(numbers.ToArray()))
            .Select(s => s.CertificationNumber).ToListAsync();
        Assert.Equal(numbers.Where((_, i) => i != 1).Order(), recorded.Order());
        var refused = await IngestLog.ByKeyAsync(session, IngestedEvent.KeyOf("urn:test", $"{marker}-1"), default);
        Assert.Equal((IngestStatus.Rejected, "cannot-apply"), (refused!.Status, refused.Rule));
    }
}

[Collection(ServiceCollection.Name)]
public class stuck_events(ServiceFixture service)
{
    /// <summary>
    /// An accepted event whose apply message was lost (dead-lettered after its retries, say) stays pending: after ten
    /// minutes it is listed as stuck, and a retry sends it again.
    /// </summary>
    [Fact]
    public async Task a_pending_event_whose_message_was_lost_is_listed_and_retried()
    {
        var (_, key) = await service.CreateKeyAsync(Roles.Integration);
        var integration = service.ClientWith(key);
        var me = await (await integration.GetAsync("/api/me")).Json();
        var owner = $"{me["kind"]!.GetValue<string>()}:{me["id"]!.GetValue<string>()}";
        var number = $"K{Guid.NewGuid():N}"[..16];
        var cloudEvent = Ingest.Event("certified", $"OR:{number}", Ingest.Certified("OR", number), id: number,
            source: "urn:stuck");
        var recordId = Guid.CreateVersion7();
        await using (var connection = new Npgsql.NpgsqlConnection(service.ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new Npgsql.NpgsqlCommand(
                $"insert into {service.Store.Options.DatabaseSchemaName}.ingested_events (id, key, source, event_id, " +
                "type, subject, subject_key, payload, channel, received_at, received_by, scope, status, attempts) " +
                "values (@id, @key, 'urn:stuck', @number, 'org.trajectories.cps.certified.v1', @subject, @subject, " +
                "@payload, 'http', now() - interval '1 hour', @owner, '', 'pending', 0)", connection);
            insert.Parameters.AddWithValue("id", recordId);
            insert.Parameters.AddWithValue("key", IngestedEvent.KeyOf("urn:stuck", number));
            insert.Parameters.AddWithValue("number", number);
            insert.Parameters.AddWithValue("subject", $"OR:{number}");
            insert.Parameters.AddWithValue("payload", cloudEvent.ToJsonString());
            insert.Parameters.AddWithValue("owner", owner);
            await insert.ExecuteNonQueryAsync();
        }

        var stuck = await (await integration.GetAsync("/api/ingest/rejections?stuck=true&source=urn:stuck")).Json();
        Assert.Contains(stuck["items"]!.AsArray(), i => i!["id"]!.GetValue<Guid>() == recordId);
        await (await integration.PostAsync($"/api/ingest/rejections/{recordId}/retry", null))
            .ShouldBe(HttpStatusCode.Accepted);
        await service.Store.SettledAsync();
        await using var session = service.Store.QuerySession();
        Assert.Equal(IngestStatus.Applied, (await IngestLog.LoadAsync(session, recordId, default))!.Status);
    }
}

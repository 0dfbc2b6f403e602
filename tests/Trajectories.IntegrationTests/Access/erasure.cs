using System.Net;
using Marten;
using Marten.Events;
using System.Net.Http.Json;
using Npgsql;
using Trajectories.IntegrationTests.Ingestion;

namespace Trajectories.IntegrationTests.Access;

/// <summary>Logs at Information (as shipped), every count shown to admins, a quick facts cache.</summary>
public sealed class ErasureFixture : ServiceFixture
{
    protected override IEnumerable<(string Key, string Value)> Settings() =>
        [
            ("Logging:LogLevel:Default", "Information"), ("Privacy:MinCellSize", "1"),
            ("Retention:CacheRefreshMilliseconds", "100")
        ];
}

public class erasure(ErasureFixture service) : IClassFixture<ErasureFixture>
{
    private async Task<System.Text.Json.Nodes.JsonObject> Settled(string url)
    {
        await service.Store.WaitForRetentionFactsAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(300);
        return await (await service.Client.GetAsync(url)).Json();
    }

    [Fact]
    public async Task an_erased_person_leaves_no_trace_of_their_identity_but_still_counts()
    {
        var api = service.Client;
        var name = $"Zebulon Quaxley {Guid.NewGuid():N}"[..24];
        var alias = $"Zeb Q. Renamed {Guid.NewGuid():N}"[..22];
        var number = $"ER-{Guid.NewGuid():N}"[..18];
        var note = $"left after clash with supervisor {Guid.NewGuid():N}";
        var pause = $"bipolar relapse, hospitalised {Guid.NewGuid():N}";
        var wage = $"SSDI earnings cap letter {Guid.NewGuid():N}";
        var sent = $"Ingrid: PTSD inpatient stay {Guid.NewGuid():N}";
        var legacy = $"Legacy Spelling {Guid.NewGuid():N}"[..24];
        var secrets = new[] { name, alias, number, note, pause, wage, sent, legacy };

        var response = await api.PostAsJsonAsync("/api/specialists", new
        {
            name, state = "MT", credential = "adult-peer", certificationNumber = number, certifiedOn = "2022-01-10",
            county = "Lane", rural = true, mhpsa = true,
        });
        await response.ShouldBe(HttpStatusCode.Created);
        var id = (await response.Json())["id"]!.GetValue<Guid>();
        var other = await api.RegisterAsync("2022-01-10", state: "MT", name: "Someone Else");
        var job = await api.HireAsync(id, "2022-03-01");
        await api.HireAsync(other, "2022-03-01");
        await (await api.PostAsync(id, "wage-changes",
                new { jobId = job, hoursPerWeek = 18, reason = wage, effectiveOn = "2022-09-01" }))
            .ShouldBe(HttpStatusCode.Created);
        await (await api.PostAsync(id, "pauses", new { reason = pause, startedOn = "2023-01-01" }))
            .ShouldBe(HttpStatusCode.Created);
        await (await api.PostAsync(id, "pauses/end", new { endedOn = "2023-02-01" })).ShouldBe(HttpStatusCode.Created);
        await (await api.PostAsync(id, "separations",
                new { jobId = job, reason = "burnout", voluntary = true, effectiveOn = "2023-06-01", note }))
            .ShouldBe(HttpStatusCode.Created);
        var certified = (await api.TimelineAsync(id))[0]!["eventId"]!.GetValue<Guid>();
        await (await api.PostAsync(id, "corrections",
                new { eventId = certified, changes = new { name = alias }, reason = $"legal name change to {alias}" }))
            .ShouldBe(HttpStatusCode.Created);
        // A correction stored before keys were canonicalised, spelled "Name".
        await using (var legacySession = service.Store.LightweightSession())
        {
            legacySession.Events.Append(id, new Trajectories.Careers.EventCorrected(certified,
                new() { ["Name"] = System.Text.Json.JsonSerializer.SerializeToElement(legacy) }, "typo",
                new DateOnly(2024, 1, 1)));
            await legacySession.SaveChangesAsync();
        }
        // An integration sends about the person: a separation from a job they never held is rejected, and kept
        // with its payload in the ingestion log.
        var (_, integration) = await service.CreateKeyAsync(Trajectories.Careers.Roles.Integration);
        var ingest = service.ClientWith(integration);
        var separation = new
        {
            jobId = Guid.NewGuid(), reason = "burnout", voluntary = true, effectiveOn = "2023-06-01", note = sent,
        };
        await (await ingest.SendAsync(Ingest.Event("separated", $"MT:{number}", separation))).ResultsAsync();
        await service.Store.SettledAsync();
        // Writes racing on the person: the losers fail inside Marten, whose own logger wrote their parameters.
        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => api.PostAsync(id, "wage-changes",
            new { jobId = job, hourlyWage = 20 + i, reason = wage, effectiveOn = "2022-10-01" })));
        // Staff look the person up by name: the name passes through the request line and the query.
        await (await api.GetAsync($"/api/specialists?q={Uri.EscapeDataString(alias)}")).ShouldBe(HttpStatusCode.OK);

        var before = await Settled("/api/retention/peer-work?state=MT&asOf=2025-01-01");
        var reasonsBefore = await Settled("/api/retention/reasons?state=MT&asOf=2025-01-01");
        Assert.Equal(2, before["groups"]![0]!["n"]!.GetValue<int>());

        var erased = await api.PostAsync($"/api/specialists/{id}/erasure", null);
        await erased.ShouldBe(HttpStatusCode.OK);

        // No trace in any table: events, the Specialist document, facts, Wolverine's tables, anything.
        await using (var connection = new NpgsqlConnection(service.ConnectionString))
        {
            await connection.OpenAsync();
            foreach (var secret in secrets)
                Assert.True(
                    await DatabaseScan.WhereAsync(connection, secret) is { Count: 0 } where,
                    $"'{secret}' still in {string.Join(", ", (await DatabaseScan.WhereAsync(connection, secret)))}");
        }
        // Nor in what the API answers or exports, nor in the logs.
        var answers = string.Join("\n",
            await api.GetStringAsync($"/api/specialists/{id}"),
            await api.GetStringAsync($"/api/specialists/{id}/timeline"),
            await api.GetStringAsync("/api/specialists?state=MT"),
            await api.GetStringAsync("/api/retention/peer-work?state=MT&format=csv"),
            await api.GetStringAsync("/api/retention/reasons?state=MT&format=csv"),
            await api.GetStringAsync("/api/workforce/summary?state=MT&format=csv"),
            await api.GetStringAsync("/api/audit/activity"));
        Assert.Empty(secrets.Where(answers.Contains));
        Assert.NotEmpty(service.Logs.Lines);
        Assert.Empty(secrets.Where(service.Logs.All.Contains));
        Assert.Contains("[erased]", await api.GetStringAsync($"/api/specialists/{id}"));
        Assert.Empty(
            (await (await api.GetAsync($"/api/specialists?q={Uri.EscapeDataString(alias)}")).Json())["items"]!
                .AsArray());

        // The de-identified history still counts, exactly as before.
        var after = await Settled("/api/retention/peer-work?state=MT&asOf=2025-01-01");
        var reasonsAfter = await Settled("/api/retention/reasons?state=MT&asOf=2025-01-01");
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
        Assert.Equal(reasonsBefore.ToJsonString(), reasonsAfter.ToJsonString());
        var now = await api.SpecialistAsync(id, "2023-01-15");
        Assert.Equal("paused", now["status"]!.GetValue<string>());

        // Erasing again changes nothing and is not an error; an unknown person is a 404.
        await (await api.PostAsync($"/api/specialists/{id}/erasure", null)).ShouldBe(HttpStatusCode.OK);
        await (await api.PostAsync($"/api/specialists/{Guid.NewGuid()}/erasure", null))
            .ShouldBeProblem(HttpStatusCode.NotFound, "specialist-not-found");
    }

    [Fact]
    public async Task events_naming_the_person_by_our_id_in_any_spelling_are_erased_too()
    {
        // The second hostile review: an upper-case id, braces, or no hyphens in the subject kept rejected events'
        // payloads (health notes, burnout scores) after erasure.
        var id = await service.Client.RegisterAsync();
        var spellings = new[]
        {
            id.ToString().ToUpperInvariant(), $"{{{id}}}", id.ToString("N"), $"({id.ToString().ToUpperInvariant()})",
        };
        var events = spellings.Select((subject, i) => Ingest.Event("lost-to-follow-up", subject,
            new { lastContactOn = "2099-01-01", note = $"SECRETNOTE-{i}" })).ToArray();
        await (await service.Client.SendAsync(events)).ResultsAsync();
        await service.Store.SettledAsync();
        async Task<long> Secrets()
        {
            await using var connection = new NpgsqlConnection(service.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "select count(*) from trajectories.ingested_events where payload like '%SECRETNOTE-%' " +
                "or subject is not null and replace(lower(subject), '-', '') like @id", connection);
            command.Parameters.AddWithValue("id", $"%{id:N}%");
            return (long)(await command.ExecuteScalarAsync())!;
        }
        Assert.Equal(spellings.Length, await Secrets());
        await (await service.Client.PostAsync($"/api/specialists/{id}/erasure", null)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(0, await Secrets());
    }
}

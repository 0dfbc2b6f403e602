using System.Net;
using System.Net.Http.Json;
using Marten;
using Marten.Events;
using Npgsql;
using Trajectories.Access;
using Trajectories.Careers;

namespace Trajectories.IntegrationTests.Access;

/// <summary>Keys, scopes, audit and the hardening around them, one rule at a time.</summary>
[Collection(AccessCollection.Name)]
public class access_rules(AccessFixture service)
{
    [Fact]
    public async Task a_key_is_shown_once_and_stored_only_as_its_hash()
    {
        var (id, key) = await service.CreateKeyAsync("analyst", "OR", "ID");
        Assert.StartsWith("trj_", key);
        Assert.Equal(47, key.Length);

        var listed = await service.Client.GetStringAsync("/api/keys");
        Assert.Contains(id.ToString(), listed);
        Assert.DoesNotContain(key, listed);
        Assert.DoesNotContain(ApiKey.HashOf(key), listed);

        // Nowhere in the database, in any column of any table.
        Assert.False(await DatabaseContainsAsync(key));
        Assert.True(await DatabaseContainsAsync(ApiKey.HashOf(key)));
        Assert.DoesNotContain(key, service.Logs.All);
        Assert.DoesNotContain(service.AdminKey, service.Logs.All);
    }

    [Fact]
    public async Task a_revoked_key_stops_working_at_once()
    {
        var (id, key) = await service.CreateKeyAsync("staff", "OR");
        using var client = service.ClientWith(key);
        await (await client.GetAsync("/api/specialists")).ShouldBe(HttpStatusCode.OK);
        await (await service.Client.DeleteAsync($"/api/keys/{id}")).ShouldBe(HttpStatusCode.NoContent);
        await (await client.GetAsync("/api/specialists"))
            .ShouldBeProblem(HttpStatusCode.Unauthorized, "unauthenticated");
        var keys = await (await service.Client.GetAsync("/api/keys?includeRevoked=true")).Content.ReadAsStringAsync();
        Assert.Contains(id.ToString(), keys);
        Assert.DoesNotContain(id.ToString(), await service.Client.GetStringAsync("/api/keys"));
    }

    [Fact]
    public async Task the_last_admin_key_cannot_be_revoked()
    {
        var keys = await service.Client.GetFromJsonAsync<List<ApiKeyView>>("/api/keys");
        var admins = keys!.Where(k => k.Role == "admin").ToList();
        Assert.Single(admins);
        var response = await service.Client.DeleteAsync($"/api/keys/{admins[0].Id}");
        await response.ShouldBeProblem(HttpStatusCode.Conflict, "last-admin-key");
        await (await service.Client.GetAsync("/api/keys")).ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("""{"role":"superuser"}""", "role")]
    [InlineData("""{"role":"admin","states":["OR"]}""", "states")]
    [InlineData("""{"role":"staff","states":["Oregon"]}""", "states")]
    [InlineData("""{}""", "role")]
    public async Task a_bad_key_request_is_a_400_and_makes_no_key(string body, string field)
    {
        var before = (await service.Client.GetFromJsonAsync<List<ApiKeyView>>("/api/keys?includeRevoked=true"))!.Count;
        var response = await service.Client.PostAsync("/api/keys",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await response.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Json();
        Assert.NotNull(problem["errors"]![field]);
        Assert.Equal(
            before,
            (await service.Client.GetFromJsonAsync<List<ApiKeyView>>("/api/keys?includeRevoked=true"))!.Count);
    }

    [Fact]
    public async Task a_scoped_analyst_sees_only_its_states_aggregates()
    {
        for (var i = 0; i < 3; i++)
        {
            await service.RegisterAsync("OR", $"Scope OR {i}", $"SO-{Guid.NewGuid():N}"[..18]);
            await service.RegisterAsync("NV", $"Scope NV {i}", $"SN-{Guid.NewGuid():N}"[..18]);
        }
        await service.Store.WaitForRetentionFactsAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(400); // the facts cache refreshes every 100 ms here
        using var analyst = service.ClientWith((await service.CreateKeyAsync("analyst", "OR")).Key);
        var report = await (await analyst.GetAsync("/api/retention/first-peer-job?groupBy=state")).Json();
        var groups = report["groups"]!.AsArray().Select(g => g!["key"]!.GetValue<string>()).ToList();
        Assert.Contains("OR", groups);
        Assert.DoesNotContain("NV", groups);
        Assert.All(groups, g => Assert.Equal("OR", g));
        await (await analyst.GetAsync("/api/retention/first-peer-job?state=NV"))
            .ShouldBeProblem(HttpStatusCode.Forbidden, "state-out-of-scope");
    }

    [Fact]
    public async Task every_event_says_who_recorded_it_in_which_role_through_which_channel()
    {
        var (keyId, key) = await service.CreateKeyAsync("staff", "OR");
        using var web = service.ClientWith(key);
        web.DefaultRequestHeaders.Add("X-Trajectories-Channel", "web");
        web.DefaultRequestHeaders.Add("X-Correlation-Id", "ticket-4711");
        var id = await service.RegisterAsync("OR", "Audit Person", $"AU-{Guid.NewGuid():N}"[..18]);
        await web.HireAsync(id);
        using var token = service.ClientWith(service.Token("jane@agency.example", "staff", ["OR"]));
        await (await token.PostAsync(id, "check-ins",
                new { checkedInOn = "2024-05-01", reportedStatus = "employed-peer" }))
            .ShouldBe(HttpStatusCode.Created);

        var timeline = await service.Client.TimelineAsync(id);
        Assert.Equal($"key:{keyId}", timeline[1]!["recordedBy"]!.GetValue<string>());
        Assert.Equal("staff", timeline[1]!["recordedRole"]!.GetValue<string>());
        Assert.Equal("web", timeline[1]!["channel"]!.GetValue<string>());
        Assert.Equal("ticket-4711", timeline[1]!["correlationId"]!.GetValue<string>());
        Assert.Equal("token:jane@agency.example", timeline[2]!["recordedBy"]!.GetValue<string>());
        Assert.Equal("api", timeline[2]!["channel"]!.GetValue<string>());

        // Admins list what a key did, newest first.
        var activity = await (await service.Client.GetAsync($"/api/audit/activity?keyId={keyId}")).Json();
        var item = Assert.Single(activity["items"]!.AsArray());
        Assert.Equal(id, item!["specialistId"]!.GetValue<Guid>());
        Assert.Equal("web", item["channel"]!.GetValue<string>());
        Assert.Equal("staff", item["role"]!.GetValue<string>());
        var byToken = await (await service.Client.GetAsync("/api/audit/activity?subject=jane@agency.example")).Json();
        Assert.Single(byToken["items"]!.AsArray());
        await (await service.Client.GetAsync("/api/audit/activity?keyId=nope"))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "invalid-value");
        // Narrowed to a person and to days recorded (UTC, both ends included).
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var person = await (await service.Client.GetAsync(
            $"/api/audit/activity?specialistId={id}&from={today}&to={today}")).Json();
        Assert.NotEmpty(person["items"]!.AsArray());
        Assert.All(person["items"]!.AsArray(), i => Assert.Equal(id, i!["specialistId"]!.GetValue<Guid>()));
        var yesterday = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd");
        Assert.Empty((await (await service.Client.GetAsync(
            $"/api/audit/activity?specialistId={id}&to={yesterday}")).Json())["items"]!.AsArray());
        await (await service.Client.GetAsync($"/api/audit/activity?from={today}&to={yesterday}"))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "before-from");
        await (await service.Client.GetAsync("/api/audit/activity?from=yesterday"))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "invalid-date");
        // The last date there is bounds nothing (it was a 500: no day after it).
        await (await service.Client.GetAsync("/api/audit/activity?to=9999-12-31")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task admins_see_the_settings_in_force_but_no_secret()
    {
        var body = await service.Client.GetStringAsync("/api/admin/settings");
        var settings = System.Text.Json.Nodes.JsonNode.Parse(body)!;
        Assert.True(settings["bootstrapKeyConfigured"]!.GetValue<bool>());
        Assert.True(settings["tokensAccepted"]!.GetValue<bool>());
        Assert.Equal(11, settings["analystMinCellSize"]!.GetValue<int>());
        Assert.DoesNotContain(service.AdminKey, body);
    }

    [Fact]
    public async Task answers_carry_security_headers()
    {
        var response = await service.Client.GetAsync("/api/keys");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task a_body_over_the_limit_is_a_413_and_records_nothing()
    {
        var id = await service.RegisterAsync("OR", "Big Body", $"BB-{Guid.NewGuid():N}"[..18]);
        var huge = new string('x', 1024 * 1024 + 10);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/specialists/{id}/check-ins")
        {
            Content = new StringContent($$"""{"checkedInOn":"2024-05-01","reportedStatus":"{{huge}}"}""",
                System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true; // refused on its Content-Length, before the upload (no race with it)
        var response = await service.Client.SendAsync(request);
        await response.ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge, "request-too-large");
        await using var session = service.Store.QuerySession();
        Assert.Equal(1, (await session.Events.FetchStreamStateAsync(id))!.Version);
    }

    private async Task<bool> DatabaseContainsAsync(string text)
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        return await DatabaseScan.ContainsAsync(connection, text);
    }
}

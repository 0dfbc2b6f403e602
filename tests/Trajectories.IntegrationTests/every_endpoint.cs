using System.Net;
using System.Net.Http.Json;
using Marten;
using Trajectories.Careers;

namespace Trajectories.IntegrationTests;

/// <summary>Each write endpoint appends its event (checked in the stream itself, not only in the response).</summary>
[Collection(ServiceCollection.Name)]
public class every_endpoint(ServiceFixture service)
{
    private async Task<IReadOnlyList<object>> StreamAsync(Guid id)
    {
        await using var session = service.Store.QuerySession();
        return (await session.Events.FetchStreamAsync(id)).Select(e => e.Data).ToList();
    }

    [Fact]
    public async Task registration_starts_a_stream_and_answers_with_its_location()
    {
        var response = await service.Client.PostAsJsonAsync("/api/specialists", CareerApi.Registration());
        await response.ShouldBe(HttpStatusCode.Created);
        var id = (await response.Json())["id"]!.GetValue<Guid>();
        Assert.Equal($"/api/specialists/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal(7, id.Version);
        Assert.IsType<SpecialistCertified>(Assert.Single(await StreamAsync(id)));
    }

    [Theory]
    [InlineData("renewals", """{"renewedOn":"2024-01-10","expiresOn":"2026-01-10"}""", typeof(CertificationRenewed))]
    [InlineData("lapses", """{"lapsedOn":"2024-01-10"}""", typeof(CertificationLapsed))]
    [InlineData("credentials", """{"credential":"CADC","earnedOn":"2024-05-01"}""", typeof(CredentialEarned))]
    [InlineData(
        "check-ins",
        """{"checkedInOn":"2024-05-01","reportedStatus":"employed-peer","exhaustion":""" +
        """2.5,"cynicism":1.2,"professionalEfficacy":4.8}""",
        typeof(CheckedIn))]
    [InlineData(
        "lost-to-follow-up",
        """{"effectiveOn":"2025-01-01","note":"no answer to three surveys"}""",
        typeof(LostToFollowUp))]
    [InlineData("pauses", """{"reason":"SSDI review","startedOn":"2024-01-01"}""", typeof(DisabilityPauseStarted))]
    public async Task a_stream_level_event_lands(string path, string body, Type expected)
    {
        var id = await service.Client.RegisterAsync();
        var response = await service.Client.PostAsync($"/api/specialists/{id}/{path}",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await response.ShouldBe(HttpStatusCode.Created);
        Assert.Equal(expected, (await StreamAsync(id))[^1].GetType());
    }

    [Fact]
    public async Task job_events_land_on_the_named_job()
    {
        var api = service.Client;
        var id = await api.RegisterAsync();
        var job = await api.HireAsync(id, "2022-03-01");
        await (await api.PostAsync(id, "wage-changes",
                new { jobId = job, hoursPerWeek = 18, reason = "SSDI earnings limit", effectiveOn = "2022-09-01" }))
            .ShouldBe(HttpStatusCode.Created);
        await (await api.PostAsync(id, "pauses", new { reason = "health", startedOn = "2023-01-01" }))
            .ShouldBe(HttpStatusCode.Created);
        await (await api.PostAsync(id, "returns", new { effectiveOn = "2023-02-01", jobId = job }))
            .ShouldBe(HttpStatusCode.Created);

        var stream = await StreamAsync(id);
        Assert.Equal(
            [
                typeof(SpecialistCertified), typeof(Hired), typeof(WageOrHoursChanged),
                typeof(DisabilityPauseStarted), typeof(ReturnedToWork)
            ],
            stream.Select(e => e.GetType()));
        var now = await api.SpecialistAsync(id);
        Assert.Equal("employed-peer", now["status"]!.GetValue<string>());
        Assert.Equal(18m, now["jobs"]![0]!["hoursPerWeek"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task a_hire_retried_with_its_job_id_is_recorded_once()
    {
        var api = service.Client;
        var id = await api.RegisterAsync();
        var hire = new
        {
            jobId = Guid.NewGuid(), employer = "Peer Run Org", title = "Peer", jobType = "peer",
            hoursPerWeek = 20, hourlyWage = 18, startedOn = "2022-05-01"
        };
        await (await api.PostAsJsonAsync($"/api/specialists/{id}/hires", hire)).ShouldBe(HttpStatusCode.Created);
        var again = await api.PostAsJsonAsync($"/api/specialists/{id}/hires", hire);
        await again.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(hire.jobId, (await again.Json())["jobId"]!.GetValue<Guid>());
        Assert.Single((await StreamAsync(id)).OfType<Hired>());
    }

    [Fact]
    public async Task a_correction_supersedes_and_a_void_cancels_without_deleting()
    {
        var api = service.Client;
        var id = await api.RegisterAsync();
        var peer = await api.HireAsync(id, "2022-03-01");
        var other = await api.HireAsync(id, "2022-04-01", jobType: "other");
        var timeline = await api.TimelineAsync(id);
        var peerHire = timeline[1]!["eventId"]!.GetValue<Guid>();
        var otherHire = timeline[2]!["eventId"]!.GetValue<Guid>();

        await (await api.PostAsync(id, "corrections",
                new { eventId = peerHire, changes = new { startedOn = "2022-03-15" }, reason = "date typo" }))
            .ShouldBe(HttpStatusCode.Created);
        await (await api.PostAsync(id, "corrections",
                new { eventId = otherHire, @void = true, reason = "recorded for the wrong person" }))
            .ShouldBe(HttpStatusCode.Created);

        Assert.Equal(5, (await StreamAsync(id)).Count);
        var now = await api.SpecialistAsync(id, "2022-05-01");
        Assert.Equal(peer, Assert.Single(now["jobs"]!.AsArray())!["jobId"]!.GetValue<Guid>());
        Assert.Equal("2022-03-15", now["jobs"]![0]!["startedOn"]!.GetValue<string>());
        Assert.Equal(other, timeline[2]!["data"]!["jobId"]!.GetValue<Guid>());

        var after = await api.TimelineAsync(id);
        var corrected = after.Single(e => e!["eventId"]!.GetValue<Guid>() == peerHire)!;
        Assert.Equal("2022-03-15", corrected["data"]!["startedOn"]!.GetValue<string>());
        Assert.Equal("2022-03-01", corrected["original"]!["startedOn"]!.GetValue<string>());
        Assert.True(after.Single(e => e!["eventId"]!.GetValue<Guid>() == otherHire)!["voided"]!.GetValue<bool>());
        Assert.Contains(after, e => e!["type"]!.GetValue<string>() == "event-corrected");
        Assert.Contains(after, e => e!["type"]!.GetValue<string>() == "event-voided");
    }

    [Fact]
    public async Task the_list_filters_by_state_status_and_text_and_pages()
    {
        var api = service.Client;
        var marker = Guid.NewGuid().ToString("N")[..8];
        var employed = await api.RegisterAsync(state: "WA", name: $"Employed {marker}");
        await api.HireAsync(employed);
        await api.RegisterAsync(state: "WA", name: $"Seeking {marker}");
        await api.RegisterAsync(state: "ID", name: $"Elsewhere {marker}");

        var all = await (await api.GetAsync($"/api/specialists?q={marker}")).Json();
        Assert.Equal(3, all["total"]!.GetValue<long>());
        var wa = await (await api.GetAsync($"/api/specialists?q={marker.ToUpperInvariant()}&state=wa")).Json();
        Assert.Equal(2, wa["total"]!.GetValue<long>());
        var working = await (await api.GetAsync($"/api/specialists?q={marker}&status=employed-peer")).Json();
        Assert.Equal(employed, Assert.Single(working["items"]!.AsArray())!["id"]!.GetValue<Guid>());
        var page2 = await (await api.GetAsync($"/api/specialists?q={marker}&pageSize=2&page=2")).Json();
        Assert.Single(page2["items"]!.AsArray());
        Assert.Equal(2, page2["pageCount"]!.GetValue<int>());
        await (await api.GetAsync("/api/specialists?status=retired"))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "invalid-value");
        await (await api.GetAsync("/api/specialists?pageSize=100000"))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "out-of-range");
        await (await api.GetAsync("/api/specialists?page=abc"))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "malformed-request");
    }

    [Fact]
    public async Task health_openapi_and_its_browsable_page_answer()
    {
        await (await service.Client.GetAsync("/health")).ShouldBe(HttpStatusCode.OK);
        var openapi = await (await service.Client.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();
        foreach (var path in new[]
            {
                "/api/specialists", "/api/specialists/{id}", "/api/specialists/{id}/hires",
                "/api/specialists/{id}/corrections", "/api/specialists/{id}/timeline"
            })
            Assert.Contains($"\"{path}\"", openapi);
        // A static method named Validate (or Before, Load) on an endpoint class is Wolverine middleware: its parameters
        // would become query parameters, as 'today' once did on every career command.
        Assert.DoesNotContain("\"today\"", openapi);
        var page = await service.Client.GetAsync("/docs/index.html");
        await page.ShouldBe(HttpStatusCode.OK);
        Assert.Contains("swagger", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The web app's types are generated from its copy of the API document (web/openapi/v1.json): when the API changes,
    /// this fails until the copy is refreshed, and the refreshed copy then breaks the web build wherever a page relies
    /// on what changed. The current document is written to artifacts/ for the refresh.
    /// </summary>
    [Fact]
    public async Task the_web_apps_copy_of_the_api_document_is_current()
    {
        var served = System.Text.Json.Nodes.JsonNode.Parse(await service.Client.GetStringAsync("/openapi/v1.json"))!
            .AsObject();
        served.Remove("servers");
        var copyPath = Path.Combine(Repository.Root(), "web", "openapi", "v1.json");
        var copy = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(copyPath));
        if (System.Text.Json.Nodes.JsonNode.DeepEquals(served, copy)) return;
        var current = Path.Combine(Repository.Root(), "artifacts", "openapi-v1.json");
        Directory.CreateDirectory(Path.GetDirectoryName(current)!);
        await File.WriteAllTextAsync(current, served.ToJsonString(new() { WriteIndented = true }) + "\n");
        Assert.Fail($"web/openapi/v1.json is not the API the service serves. Refresh it (cd web && npm run "
            + $"api-types with the service running, or copy {current} over it), then run the web build.");
    }

    [Fact]
    public async Task the_api_document_says_how_to_call_every_operation_in_words()
    {
        using var anonymous = service.ClientWith(null);
        var document = await (await anonymous.GetAsync("/openapi/v1.json")).Json();
        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal(["apiKey", "bearer", "session"], schemes.Select(p => p.Key).Order());
        // Operations anyone may call: health, the document itself, the webhook handshake, signing in and out.
        var open = new HashSet<string>
        {
            "get /health", "get /health/live", "get /health/ready", "options /api/ingest/events",
            "post /api/session", "delete /api/session",
        };
        var problems = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
            foreach (var (method, op) in item!.AsObject())
            {
                var what = $"{method} {path}";
                var summary = op!["summary"]?.GetValue<string>() ?? "";
                if (summary.Length == 0 || summary == op["operationId"]?.GetValue<string>() || summary.Contains('_'))
                    problems.Add($"{what}: no summary in words ('{summary}')");
                if (open.Contains(what) || path.StartsWith("/openapi")) continue;
                if (op["security"] is not System.Text.Json.Nodes.JsonArray { Count: 3 })
                    problems.Add($"{what}: no security requirement");
                if (op["responses"]?["401"] is null) problems.Add($"{what}: no 401");
            }
        Assert.True(problems.Count == 0, string.Join("; ", problems));
    }

    /// <summary>
    /// Every refusal an operation documents has the problem-details schema, descriptions are not Wolverine's ids, and
    /// the retention endpoints (which read their query string themselves) list their parameters; each parameter listed
    /// is one the endpoint takes, and a name not listed is refused as unknown, so the list says what the parser does.
    /// </summary>
    [Fact]
    public async Task the_api_document_lists_every_refusal_and_every_query_parameter_an_endpoint_takes()
    {
        using var anonymous = service.ClientWith(null);
        var document = await (await anonymous.GetAsync("/openapi/v1.json")).Json();
        Assert.NotNull(document["components"]!["schemas"]!["Problem"]!["properties"]!["rule"]);
        var problems = new List<string>();
        var analytic = new List<(string Path, List<string> Parameters)>();
        var enumerated = new List<(string Path, string Name, string Value)>();
        foreach (var (path, item) in document["paths"]!.AsObject())
            foreach (var (method, op) in item!.AsObject())
            {
                var what = $"{method} {path}";
                if (op!["description"]?.GetValue<string>() is { } d && d == op["operationId"]?.GetValue<string>())
                    problems.Add($"{what}: its description is its id");
                foreach (var (status, response) in op["responses"]!.AsObject())
                    if (status[0] is '4' or '5'
                        && response!["content"]?["application/problem+json"]?["schema"]?["$ref"] is null)
                        problems.Add($"{what}: {status} has no problem-details schema");
                if (path.StartsWith("/api/retention") || path.StartsWith("/api/trajectories")
                    || path.StartsWith("/api/workforce"))
                {
                    var names = op["parameters"]?.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList() ?? [];
                    // A parameter with listed values: its first value is taken (not refused as that parameter).
                    foreach (var p in op["parameters"]!.AsArray())
                        if (p!["schema"]?["enum"]?.AsArray() is { Count: > 0 } values)
                            enumerated.Add((path, p["name"]!.GetValue<string>(), values[0]!.GetValue<string>()));
                    if (!names.Contains("asOf") || !names.Contains("format") || !names.Contains("state"))
                        problems.Add($"{what}: parameters {string.Join(",", names)}");
                    if (op["responses"]?["400"] is null) problems.Add($"{what}: no 400");
                    analytic.Add((path, names));
                }
            }
        Assert.True(problems.Count == 0, string.Join("; ", problems));
        Assert.True(analytic.Count >= 13, $"only {analytic.Count} analytic operations found");

        using var analyst = service.ClientWith((await service.CreateKeyAsync(Roles.Analyst)).Key);
        foreach (var (path, names) in analytic)
        {
            foreach (var name in names)
            {
                var answer = await analyst.GetAsync($"{path}?{name}=");
                if (answer.StatusCode == HttpStatusCode.BadRequest
                    && (await answer.Content.ReadAsStringAsync()).Contains("unknown-parameter"))
                    problems.Add($"{path}: documents '{name}' but refuses it as unknown");
            }
            foreach (var (_, name, value) in enumerated.Where(e => e.Path == path))
            {
                var answer = await analyst.GetAsync($"{path}?{name}={value}&covariates=state");
                if (answer.StatusCode == HttpStatusCode.BadRequest
                    && (await answer.Json())["errors"]?[name] is not null)
                    problems.Add($"{path}: documents {name}={value} but refuses it");
            }
            var unlisted = await analyst.GetAsync($"{path}?notAParameter=1");
            if (unlisted.StatusCode != HttpStatusCode.BadRequest
                || !(await unlisted.Content.ReadAsStringAsync()).Contains("unknown-parameter"))
                problems.Add($"{path}: takes a parameter it does not list ({(int)unlisted.StatusCode})");
        }
        Assert.True(problems.Count == 0, string.Join("; ", problems));
    }
}

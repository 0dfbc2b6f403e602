using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using Trajectories.Careers;

namespace Trajectories.IntegrationTests.Access;

/// <summary>
/// Every endpoint the service maps x every kind of caller x a person (or state) inside and outside the caller's
/// scope -> the expected status, and no body shows an out-of-scope person (or, to analysts, anyone's identity).
/// The endpoint list is read from the running service: an endpoint added without a row here fails the test.
/// </summary>
[Collection(AccessCollection.Name)]
public class access_matrix(AccessFixture service, ITestOutputHelper output)
{
    private enum Kind { Public, AnyRole, Staff, Analyst, Integration, Admin }

    /// <summary>One endpoint: who may call it, what a successful call answers, and how to make one.</summary>
    private sealed record Route(
        string Method, string Pattern, Kind Kind, HttpStatusCode Success, Func<Target, Task<HttpRequestMessage>> Build,
        bool PerPerson = false);

    /// <summary>What a request is about: a person prepared for it (null for routes without one) in Oregon or
    /// Washington.</summary>
    private sealed record Target(Guid? Person, string State, bool Fresh, HttpClient Caller);

    private sealed record CallerCase(string Label, string? Role, bool OregonOnly, HttpClient Client);

    private readonly List<string> _names = [];
    private readonly List<string> _numbers = [];

    private async Task<Guid> PersonAsync(string state)
    {
        var name = $"Person {state} {Guid.NewGuid():N}"[..24];
        var number = $"{state}-{Guid.NewGuid():N}"[..20];
        lock (_names) { _names.Add(name); _numbers.Add(number); }
        return await service.RegisterAsync(state, name, number);
    }

    private async Task<Guid> HireAsync(Guid id) => await service.Client.HireAsync(id, "2022-03-01");

    private static HttpRequestMessage Json(HttpMethod method, string url, object? body = null) =>
        new(method, url) { Content = body is null ? null : JsonContent.Create(body) };

    private List<Route> Routes() =>
    [
        new("GET", "/health", Kind.Public, HttpStatusCode.OK, _ => Task.FromResult(Json(HttpMethod.Get, "/health"))),
        new("GET", "/health/live", Kind.Public, HttpStatusCode.OK,
            _ => Task.FromResult(Json(HttpMethod.Get, "/health/live"))),
        new("GET", "/health/ready", Kind.Public, HttpStatusCode.OK,
            _ => Task.FromResult(Json(HttpMethod.Get, "/health/ready"))),
        new("GET", "/openapi/{documentName}.json", Kind.Public, HttpStatusCode.OK,
            _ => Task.FromResult(Json(HttpMethod.Get, "/openapi/v1.json"))),
        // The web app's sign-in: anyone may exchange a valid key for a session (the key is in the body); who is
        // signed in needs a caller; signing out is harmless for anyone (a cookie session needs its CSRF token).
        new("POST", "/api/session", Kind.Public, HttpStatusCode.OK,
            _ => Task.FromResult(Json(HttpMethod.Post, "/api/session", new { key = service.AdminKey }))),
        new("GET", "/api/session", Kind.AnyRole, HttpStatusCode.OK,
            _ => Task.FromResult(Json(HttpMethod.Get, "/api/session"))),
        new("DELETE", "/api/session", Kind.Public, HttpStatusCode.NoContent,
            _ => Task.FromResult(Json(HttpMethod.Delete, "/api/session"))),
        // The CloudEvents webhook handshake: senders ask before they have a key to use (it grants nothing).
        new("OPTIONS", "/api/ingest/events", Kind.Public, HttpStatusCode.OK, _ => Task.FromResult(
            new HttpRequestMessage(HttpMethod.Options, "/api/ingest/events")
            {
                Headers = { { "WebHook-Request-Origin", "board.example.org" } },
            })),

        new("GET", "/api/me", Kind.AnyRole, HttpStatusCode.OK, _ => Task.FromResult(Json(HttpMethod.Get, "/api/me"))),
        new("GET", "/api/vocabulary", Kind.AnyRole, HttpStatusCode.OK,
            _ => Task.FromResult(Json(HttpMethod.Get, "/api/vocabulary"))),

        new("GET", "/api/specialists", Kind.Staff, HttpStatusCode.OK,
            t => Task.FromResult(Json(HttpMethod.Get, $"/api/specialists?state={t.State}&pageSize=200"))),
        new("GET", "/api/worklist", Kind.Staff, HttpStatusCode.OK,
            t => Task.FromResult(Json(HttpMethod.Get, $"/api/worklist?state={t.State}"))),
        new("GET", "/api/employers", Kind.Staff, HttpStatusCode.OK,
            t => Task.FromResult(Json(HttpMethod.Get, $"/api/employers?state={t.State}"))),
        new("POST", "/api/specialists", Kind.Staff, HttpStatusCode.Created,
            t => Task.FromResult(Json(HttpMethod.Post, "/api/specialists", new
            {
                name = "New Person", state = t.State, credential = "adult-peer",
                certificationNumber = $"N-{Guid.NewGuid():N}"[..20],
                certifiedOn = "2022-01-10", county = "Lane", rural = false, mhpsa = false,
            }))),
        new("GET", "/api/specialists/{id}", Kind.Staff, HttpStatusCode.OK,
            t => Task.FromResult(Json(HttpMethod.Get, $"/api/specialists/{t.Person}")), true),
        new("GET", "/api/specialists/{id}/timeline", Kind.Staff, HttpStatusCode.OK,
            t => Task.FromResult(Json(HttpMethod.Get, $"/api/specialists/{t.Person}/timeline")), true),
        Write("hires", _ => Task.FromResult<object>(new
        {
            employer = "E", title = "Peer", jobType = "peer",
            hoursPerWeek = 20, hourlyWage = 18, startedOn = "2022-03-01"
        })),
        Write("promotions", async t => new
        {
            jobId = t.Fresh ? await HireAsync(t.Person!.Value) : Guid.NewGuid(),
            tier = "Peer II", effectiveOn = "2023-01-01"
        }),
        Write("wage-changes", async t => new
        {
            jobId = t.Fresh ? await HireAsync(t.Person!.Value) : Guid.NewGuid(),
            hoursPerWeek = 18, reason = "hours", effectiveOn = "2023-01-01"
        }),
        Write("separations", async t => new
        {
            jobId = t.Fresh ? await HireAsync(t.Person!.Value) : Guid.NewGuid(),
            reason = "burnout", voluntary = true, effectiveOn = "2023-01-01"
        }),
        Write("pauses", _ => Task.FromResult<object>(new { reason = "health", startedOn = "2023-01-01" })),
        Write("pauses/end", async t =>
        {
            if (t.Fresh)
                await (await service.Client.PostAsync(t.Person!.Value, "pauses",
                    new { reason = "health", startedOn = "2023-01-01" })).ShouldBe(HttpStatusCode.Created);
            return new { endedOn = "2023-02-01" };
        }),
        Write("returns", async t =>
        {
            var job = Guid.NewGuid();
            if (t.Fresh)
            {
                job = await HireAsync(t.Person!.Value);
                await (await service.Client.PostAsync(t.Person!.Value, "pauses",
                    new { reason = "health", startedOn = "2023-01-01" })).ShouldBe(HttpStatusCode.Created);
            }
            return new { effectiveOn = "2023-02-01", jobId = job };
        }),
        Write("renewals", _ => Task.FromResult<object>(new { renewedOn = "2024-01-10", expiresOn = "2026-01-10" })),
        Write("lapses", _ => Task.FromResult<object>(new { lapsedOn = "2024-01-10" })),
        Write("credentials", _ => Task.FromResult<object>(new { credential = "CADC", earnedOn = "2024-05-01" })),
        Write("check-ins", _ => Task.FromResult<object>(
            new { checkedInOn = "2024-05-01", reportedStatus = "employed-peer" })),
        Write("lost-to-follow-up", _ => Task.FromResult<object>(
            new { effectiveOn = "2025-01-01", note = "no answer" })),
        Write("corrections", async t =>
        {
            var eventId = Guid.NewGuid();
            if (t.Fresh)
                eventId = (await service.Client.TimelineAsync(t.Person!.Value))[0]!["eventId"]!.GetValue<Guid>();
            return new { eventId, changes = new { county = "Benton" }, reason = "typo" };
        }),
        new("POST", "/api/specialists/{id}/erasure", Kind.Admin, HttpStatusCode.OK,
            t => Task.FromResult(Json(HttpMethod.Post, $"/api/specialists/{t.Person}/erasure")), true),

        Aggregate("/api/retention/peer-work"), Aggregate("/api/retention/first-peer-job"),
        Aggregate("/api/retention/job"), Aggregate("/api/retention/reasons"), Aggregate("/api/retention/cohorts"),
        Aggregate("/api/trajectories/occupation"), Aggregate("/api/retention/burnout"),
        Aggregate("/api/retention/ladder", groupBy: false),
        Aggregate("/api/retention/first-promotion"),
        Aggregate("/api/workforce/summary", groupBy: false),
        // Models: allowed callers get past access to the missing covariates (400); the rest are refused first.
        Model("/api/retention/peer-work/model"), Model("/api/retention/first-peer-job/model"),
        Model("/api/retention/job/model"),

        new("POST", "/api/ingest/events", Kind.Integration, HttpStatusCode.Accepted,
            t => Task.FromResult(Json(HttpMethod.Post, "/api/ingest/events", new
            {
                specversion = "1.0", id = Guid.NewGuid().ToString(), source = "urn:matrix",
                type = "org.trajectories.cps.certified.v1",
                data = new
                {
                    name = "Ingested Person", state = t.State, credential = "adult-peer",
                    certificationNumber = $"I-{Guid.NewGuid():N}"[..20], certifiedOn = "2022-01-10", county = "Lane",
                    rural = false, mhpsa = false
                },
            }))),
        new("GET", "/api/ingest/events", Kind.Integration, HttpStatusCode.OK, async t =>
        {
            var id = t.Fresh ? await RejectedEventIdAsync(t.Caller) : "none";
            return Json(HttpMethod.Get, $"/api/ingest/events?source=urn:matrix&id={id}");
        }),
        new("GET", "/api/ingest/rejections", Kind.Integration, HttpStatusCode.OK,
            _ => Task.FromResult(Json(HttpMethod.Get, "/api/ingest/rejections"))),
        new("POST", "/api/ingest/rejections/{id}/retry", Kind.Integration, HttpStatusCode.Accepted, async t =>
            Json(HttpMethod.Post,
                $"/api/ingest/rejections/{(t.Fresh ? await RejectedEventAsync(t.Caller) : Guid.NewGuid())}/retry")),
        new("POST", "/api/keys", Kind.Admin, HttpStatusCode.Created,
            _ => Task.FromResult(Json(HttpMethod.Post, "/api/keys",
                new { role = "analyst", states = new[] { "OR" } }))),
        new("GET", "/api/keys", Kind.Admin, HttpStatusCode.OK, _ => Task.FromResult(Json(HttpMethod.Get, "/api/keys"))),
        new("DELETE", "/api/keys/{id}", Kind.Admin, HttpStatusCode.NoContent, async t =>
            Json(HttpMethod.Delete,
                $"/api/keys/{(t.Fresh ? (await service.CreateKeyAsync("analyst")).Id : Guid.NewGuid())}")),
        new("GET", "/api/admin/settings", Kind.Admin, HttpStatusCode.OK,
            _ => Task.FromResult(Json(HttpMethod.Get, "/api/admin/settings"))),
        new("GET", "/api/admin/releases/current", Kind.Admin, HttpStatusCode.OK,
            _ => Task.FromResult(Json(HttpMethod.Get, "/api/admin/releases/current"))),
        // A release is cut only when something was recorded since the last one: a call meant to succeed records
        // someone first.
        new("POST", "/api/admin/releases", Kind.Admin, HttpStatusCode.Created, async t =>
        {
            if (t.Fresh)
            {
                await PersonAsync("OR");
                await service.Store.WaitForRetentionFactsAsync(TimeSpan.FromSeconds(60));
            }
            return Json(HttpMethod.Post, "/api/admin/releases");
        }),
        new("GET", "/api/audit/activity", Kind.Admin, HttpStatusCode.OK,
            _ => Task.FromResult(Json(HttpMethod.Get, "/api/audit/activity?limit=50"))),
    ];

    /// <summary>The CloudEvents id of an event the caller sent (rejected: its person is unknown).</summary>
    private async Task<string> RejectedEventIdAsync(HttpClient caller)
    {
        var eventId = Guid.NewGuid().ToString();
        var sent = await caller.PostAsJsonAsync("/api/ingest/events", new
        {
            specversion = "1.0", id = eventId, source = "urn:matrix", type = "org.trajectories.cps.checked-in.v1",
            subject = $"OR:nobody-{eventId[..8]}",
            data = new { checkedInOn = "2024-05-01", reportedStatus = "employed-peer" },
        });
        await sent.ShouldBe(HttpStatusCode.Accepted);
        return eventId;
    }

    /// <summary>An event the caller sent that was rejected (its person is unknown): its id in the rejections
    /// list.</summary>
    private async Task<Guid> RejectedEventAsync(HttpClient caller)
    {
        var eventId = await RejectedEventIdAsync(caller);
        for (var i = 0; i < 100; i++)
        {
            var page = await (await caller.GetAsync("/api/ingest/rejections?source=urn:matrix&pageSize=200")).Json();
            if (page["items"]!.AsArray().FirstOrDefault(x => x!["eventId"]!.GetValue<string>() == eventId) is { } found)
                return found["id"]!.GetValue<Guid>();
            await Task.Delay(100);
        }
        throw new TimeoutException("the event was not rejected within 10 s");
    }

    private Route Write(string path, Func<Target, Task<object>> body) =>
        new("POST", $"/api/specialists/{{id}}/{path}", Kind.Staff, HttpStatusCode.Created,
            async t => Json(HttpMethod.Post, $"/api/specialists/{t.Person}/{path}", await body(t)), true);

    // In scope: grouped by state (every visible state); out of scope: a filter naming Washington.
    private static Route Model(string url) =>
        new("GET", url, Kind.Analyst, HttpStatusCode.BadRequest, t => Task.FromResult(Json(HttpMethod.Get,
            t.State == "WA" ? $"{url}?state=WA" : url)));

    private static Route Aggregate(string url, bool groupBy = true) =>
        new("GET", url, Kind.Analyst, HttpStatusCode.OK, t => Task.FromResult(Json(HttpMethod.Get,
            t.State == "WA" ? $"{url}?state=WA" : groupBy ? $"{url}?groupBy=state" : url)));

    private async Task<List<CallerCase>> CallersAsync()
    {
        var (revokedId, revokedKey) = await service.CreateKeyAsync("staff");
        await (await service.Client.DeleteAsync($"/api/keys/{revokedId}")).ShouldBe(HttpStatusCode.NoContent);
        async Task<HttpClient> Key(string role, params string[] states) =>
            service.ClientWith((await service.CreateKeyAsync(role, states)).Key);
        var apiKeyHeader = service.ClientWith(null);
        apiKeyHeader.DefaultRequestHeaders.Add("X-Api-Key", (await service.CreateKeyAsync("staff", "OR")).Key);
        using var stranger = RSA.Create(2048);
        return
        [
            new("no key", null, false, service.ClientWith(null)),
            new("unknown key", null, false, service.ClientWith("trj_" + new string('x', 43))),
            new("revoked key", null, false, service.ClientWith(revokedKey)),
            new("expired token", null, false,
                service.ClientWith(service.Token("s-expired", "staff", expires: DateTime.UtcNow.AddMinutes(-5)))),
            new("token signed by another key", null, false,
                service.ClientWith(service.Token("s-stranger", "admin", signWith: stranger))),
            new("token with no role", null, false, service.ClientWith(service.Token("s-norole", null))),
            new("staff OR", "staff", true, await Key("staff", "OR")),
            new("staff OR (X-Api-Key)", "staff", true, apiKeyHeader),
            new("staff OR (token)", "staff", true, service.ClientWith(service.Token("s-staff-or", "staff", ["OR"]))),
            new("staff all", "staff", false, await Key("staff")),
            new("analyst OR", "analyst", true, await Key("analyst", "OR")),
            new("analyst all (token)", "analyst", false, service.ClientWith(service.Token("s-analyst", "analyst"))),
            new("analyst all", "analyst", false, await Key("analyst")),
            new("integration OR", "integration", true, await Key("integration", "OR")),
            new("admin", "admin", false, service.Client),
        ];
    }

    private static HttpStatusCode Expected(Route route, CallerCase caller, bool outOfScope)
    {
        if (route.Kind == Kind.Public) return route.Success;
        if (caller.Role is null) return HttpStatusCode.Unauthorized;
        var allowed = caller.Role == "admin" || route.Kind == Kind.AnyRole
            || route.Kind.ToString().Equals(caller.Role, StringComparison.OrdinalIgnoreCase);
        if (!allowed) return HttpStatusCode.Forbidden;
        if (route.Kind == Kind.AnyRole) return route.Success;           // about the caller, not about any state
        if (!(outOfScope && caller.OregonOnly)) return route.Success;
        if (route.PerPerson) return HttpStatusCode.NotFound;          // as if the person did not exist
        if (route.Pattern.StartsWith("/api/ingest")) return route.Success; // out-of-scope events are rejected one by
                                                                           // one inside a 202
        if (route.Pattern == "/api/specialists" && route.Method == "GET") return HttpStatusCode.OK; // lists nobody
        return HttpStatusCode.Forbidden;                               // registering in, or aggregating, another state
    }

    [Fact]
    public async Task every_endpoint_answers_every_caller_as_the_access_model_says()
    {
        var routes = Routes();
        var mapped = service.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (Method: m, Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct().ToList();
        var unlisted = mapped.Where(m => !routes.Any(r => r.Method == m.Method && r.Pattern == m.Pattern)).ToList();
        Assert.True(
            unlisted.Count == 0,
            "endpoints missing from the access matrix: " + string.Join(", ", unlisted));
        Assert.All(routes, r => Assert.Contains((r.Method, r.Pattern), mapped));

        var callers = await CallersAsync();
        var shared = new Dictionary<string, Guid>
        {
            ["OR"] = await PersonAsync("OR"), ["WA"] = await PersonAsync("WA")
        };
        await service.Client.HireAsync(shared["WA"], "2022-03-01");
        var hiddenName = _names[1];
        var hiddenNumber = _numbers[1];
        var versionsBefore = await VersionsAsync(shared.Values);

        var failures = new List<string>();
        var table = new StringBuilder("| endpoint | " + string.Join(" | ", callers.Select(c => c.Label)) + " |\n");
        foreach (var route in routes)
        {
            var row = new List<string>();
            foreach (var caller in callers)
            {
                var cell = new List<string>();
                foreach (var outOfScope in new[] { false, true })
                {
                    var expected = Expected(route, caller, outOfScope);
                    var state = outOfScope ? "WA" : "OR";
                    // A call expected to succeed gets a person (or key) of its own, prepared for it; refused calls
                    // go to the shared people, which must come out unchanged.
                    var succeeds = expected == route.Success;
                    Guid? person = route.PerPerson ? succeeds ? await PersonAsync(state) : shared[state] : null;
                    var request = await route.Build(new Target(person, state, succeeds, caller.Client));
                    var response = await caller.Client.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    cell.Add(((int)response.StatusCode).ToString());
                    var what = $"{route.Method} {route.Pattern} as {caller.Label} " +
                        $"({(outOfScope ? "out of" : "in")} scope)";
                    if (response.StatusCode != expected)
                        failures.Add($"{what}: expected {(int)expected}, got {(int)response.StatusCode}: " +
                            $"{body[..Math.Min(body.Length, 300)]}");
                    if ((int)response.StatusCode >= 400 && route.Kind != Kind.Public
                        && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                        failures.Add($"{what}: a {(int)response.StatusCode} without problem details");
                    // (A 404 may repeat the id the caller sent; it says no more than it says of an id nobody has.)
                    var askedFor = request.RequestUri!.OriginalString.Contains(shared["WA"].ToString());
                    if (caller.OregonOnly
                        && (body.Contains(hiddenName) || body.Contains(hiddenNumber)
                            || (!askedFor && body.Contains(shared["WA"].ToString()))))
                        failures.Add($"{what}: the body shows the Washington person to an Oregon-only key");
                    if (caller.Role == "analyst" && _names.Concat(_numbers).FirstOrDefault(body.Contains) is { } leaked)
                        failures.Add($"{what}: the body shows an identity to an analyst ({leaked})");
                }
                row.Add(string.Join("/", cell));
            }
            table.Append($"| {route.Method} {route.Pattern} | {string.Join(" | ", row)} |\n");
        }
        output.WriteLine("status in scope / out of scope:\n" + table);
        Directory.CreateDirectory("artifacts");
        await File.WriteAllTextAsync(Path.Combine("artifacts", "access-matrix.md"), table.ToString());

        // Refused requests wrote nothing to the shared people.
        Assert.Equal(versionsBefore, await VersionsAsync(shared.Values));
        Assert.True(
            failures.Count == 0,
            $"{failures.Count} cells differ from the access model:\n" + string.Join("\n", failures));
    }

    private async Task<List<long>> VersionsAsync(IEnumerable<Guid> ids)
    {
        await using var session = service.Store.QuerySession();
        var versions = new List<long>();
        foreach (var id in ids) versions.Add((await session.Events.FetchStreamStateAsync(id))!.Version);
        return versions;
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Trajectories.IntegrationTests;

/// <summary>Reusable HTTP steps: the calls staff make, written once.</summary>
public static class CareerApi
{
    private static int _next;

    /// <summary>A certification number no other test uses.</summary>
    public static string UniqueNumber() =>
        $"T-{Environment.ProcessId}-{Interlocked.Increment(ref _next)}-{Guid.NewGuid():N}"[..30];

    public static object Registration(string certifiedOn = "2022-01-10", string? number = null, string state = "OR",
        string name = "Ada Lovelace") => new
    {
        name, state, credential = "adult-peer", certificationNumber = number ?? UniqueNumber(), certifiedOn,
        county = "Lane", rural = false, mhpsa = true,
    };

    /// <summary>A registration body as JSON text, for tests that must send what a serializer would not write.</summary>
    public static string RegistrationJson() => System.Text.Json.JsonSerializer.Serialize(Registration());

    public static async Task<Guid> RegisterAsync(
        this HttpClient client, string certifiedOn = "2022-01-10", string state = "OR", string name = "Ada Lovelace")
    {
        var response =
            await client.PostAsJsonAsync("/api/specialists", Registration(certifiedOn, state: state, name: name));
        await response.ShouldBe(HttpStatusCode.Created);
        return (await response.Json())["id"]!.GetValue<Guid>();
    }

    public static async Task<Guid> HireAsync(
        this HttpClient client, Guid id, string startedOn = "2022-03-01", string jobType = "peer", decimal hours = 40)
    {
        var response = await client.PostAsJsonAsync($"/api/specialists/{id}/hires", new
        {
            employer = "Lane County Behavioral Health", title = "Peer Support Specialist", jobType,
            hoursPerWeek = hours, hourlyWage = 19.5m, startedOn,
        });
        await response.ShouldBe(HttpStatusCode.Created);
        return (await response.Json())["jobId"]!.GetValue<Guid>();
    }

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, Guid id, string path, object body) =>
        client.PostAsJsonAsync($"/api/specialists/{id}/{path}", body);

    public static async Task<JsonObject> SpecialistAsync(this HttpClient client, Guid id, string? asOf = null)
    {
        var response = await client.GetAsync($"/api/specialists/{id}" + (asOf is null ? "" : $"?asOf={asOf}"));
        await response.ShouldBe(HttpStatusCode.OK);
        return await response.Json();
    }

    public static async Task<JsonArray> TimelineAsync(this HttpClient client, Guid id)
    {
        var response = await client.GetAsync($"/api/specialists/{id}/timeline");
        await response.ShouldBe(HttpStatusCode.OK);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }

    public static async Task<JsonObject> Json(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static async Task ShouldBe(this HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
            Assert.Fail($"expected {(int)expected}, got {(int)response.StatusCode}: " +
                $"{await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A refusal: the status, an RFC 9457 body naming the rule.</summary>
    public static async Task<JsonObject> ShouldBeProblem(
        this HttpResponseMessage response, HttpStatusCode status, string rule)
    {
        await response.ShouldBe(status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Json();
        Assert.Equal(rule, problem["rule"]?.GetValue<string>());
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        return problem;
    }

    public static long Version(this JsonObject specialist) => specialist["version"]!.GetValue<long>();
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using Marten;

namespace Trajectories.IntegrationTests;

/// <summary>Each refusal is problem+json naming its rule, and appends nothing.</summary>
[Collection(ServiceCollection.Name)]
public class rejections(ServiceFixture service)
{
    private async Task<long> VersionAsync(Guid id)
    {
        await using var session = service.Store.QuerySession();
        return (await session.Events.FetchStreamStateAsync(id))!.Version;
    }

    private async Task RefusedAndNothingAppended(
        Guid id, string path, object body, HttpStatusCode status, string rule, string? field = null)
    {
        var before = await VersionAsync(id);
        var problem = await (await service.Client.PostAsync(id, path, body)).ShouldBeProblem(status, rule);
        if (field is not null) Assert.NotNull(problem["errors"]![field]);
        Assert.Equal(before, await VersionAsync(id));
    }

    [Fact]
    public async Task state_rules_are_409s()
    {
        var api = service.Client;
        var id = await api.RegisterAsync("2022-01-10");
        var job = await api.HireAsync(id, "2022-03-01");
        await RefusedAndNothingAppended(id, "promotions",
            new { jobId = job, tier = "Peer II", effectiveOn = "2022-02-01" },
            HttpStatusCode.Conflict, "job-not-held", "jobId");
        await RefusedAndNothingAppended(id, "wage-changes",
            new { jobId = Guid.NewGuid(), hourlyWage = 30, reason = "raise", effectiveOn = "2023-01-01" },
            HttpStatusCode.Conflict, "job-not-held");
        await RefusedAndNothingAppended(id, "separations",
            new { jobId = Guid.NewGuid(), reason = "burnout", voluntary = true, effectiveOn = "2023-01-01" },
            HttpStatusCode.Conflict, "job-not-held");
        await RefusedAndNothingAppended(id, "pauses/end", new { endedOn = "2023-01-01" },
            HttpStatusCode.Conflict, "no-open-pause");
        await RefusedAndNothingAppended(id, "hires",
            new
            {
                employer = "X", title = "Y", jobType = "peer",
                hoursPerWeek = 10, hourlyWage = 15, startedOn = "2021-01-01"
            },
            HttpStatusCode.Conflict, "before-certification");
        await RefusedAndNothingAppended(id, "corrections",
            new { eventId = Guid.NewGuid(), @void = true, reason = "x" },
            HttpStatusCode.Conflict, "event-not-found");
    }

    [Fact]
    public async Task request_rules_are_400s()
    {
        var api = service.Client;
        var id = await api.RegisterAsync("2022-01-10");
        var job = await api.HireAsync(id, "2022-03-01");
        var tomorrow = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2).ToString("yyyy-MM-dd");
        await RefusedAndNothingAppended(id, "separations",
            new { jobId = job, reason = "burnout", voluntary = true, effectiveOn = "2022-02-01" },
            HttpStatusCode.BadRequest, "separation-before-start");
        await RefusedAndNothingAppended(id, "separations",
            new { jobId = job, reason = "burnout", voluntary = true, effectiveOn = tomorrow },
            HttpStatusCode.BadRequest, "future-date", "effectiveOn");
        await RefusedAndNothingAppended(id, "separations",
            new { jobId = job, reason = "boredom", voluntary = true, effectiveOn = "2023-01-01" },
            HttpStatusCode.BadRequest, "invalid-value", "reason");
        await RefusedAndNothingAppended(id, "hires", new { }, HttpStatusCode.BadRequest, "missing-field", "employer");
        await RefusedAndNothingAppended(id, "promotions",
            new { jobId = job, tier = "Grand Peer", effectiveOn = "2023-01-01" },
            HttpStatusCode.BadRequest, "unknown-tier", "tier");
        await RefusedAndNothingAppended(id, "corrections",
            new { eventId = job, changes = new { salary = 1 }, reason = "x" },
            HttpStatusCode.Conflict, "event-not-found");
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[1,2]")]
    [InlineData("""{"startedOn":"not a date"}""")]
    [InlineData("""{"hoursPerWeek":"forty"}""")]
    [InlineData("""{"jobId":"nope"}""")]
    [InlineData("")]
    public async Task malformed_json_is_a_400_not_a_500(string body)
    {
        var id = await service.Client.RegisterAsync();
        var before = await VersionAsync(id);
        var response = await service.Client.PostAsync($"/api/specialists/{id}/hires",
            new StringContent(body, Encoding.UTF8, "application/json"));
        await response.ShouldBeProblem(HttpStatusCode.BadRequest, "malformed-request");
        Assert.Equal(before, await VersionAsync(id));
    }

    [Fact]
    public async Task a_duplicate_certification_number_in_a_state_is_a_409_but_another_state_may_reuse_it()
    {
        var number = CareerApi.UniqueNumber();
        await (await service.Client.PostAsJsonAsync("/api/specialists", CareerApi.Registration(number: number)))
            .ShouldBe(HttpStatusCode.Created);
        await (await service.Client.PostAsJsonAsync("/api/specialists", CareerApi.Registration(number: number)))
            .ShouldBeProblem(HttpStatusCode.Conflict, "duplicate-certification-number");
        await (await service.Client.PostAsJsonAsync("/api/specialists",
                CareerApi.Registration(number: number, state: "WA")))
            .ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task concurrent_registrations_of_one_number_record_exactly_one()
    {
        var number = CareerApi.UniqueNumber();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            service.Client.PostAsJsonAsync("/api/specialists", CareerApi.Registration(number: number, state: "NM"))));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            await r.ShouldBeProblem(HttpStatusCode.Conflict, "duplicate-certification-number");
        await using var session = service.Store.QuerySession();
        Assert.Equal(
            1,
            await session.Query<Trajectories.Careers.Specialist>()
                .CountAsync(s => s.State == "NM" && s.CertificationNumber == number));
    }

    [Fact]
    public async Task a_correction_may_not_take_a_number_held_by_someone_else()
    {
        var api = service.Client;
        var taken = CareerApi.UniqueNumber();
        await (await api.PostAsJsonAsync("/api/specialists", CareerApi.Registration(number: taken)))
            .ShouldBe(HttpStatusCode.Created);
        var id = await api.RegisterAsync();
        var certified = (await api.TimelineAsync(id))[0]!["eventId"]!.GetValue<Guid>();
        await RefusedAndNothingAppended(id, "corrections",
            new { eventId = certified, changes = new { certificationNumber = taken }, reason = "x" },
            HttpStatusCode.Conflict, "duplicate-certification-number");
    }

    [Fact]
    public async Task an_unknown_person_is_a_404()
    {
        var nobody = Guid.CreateVersion7();
        await (await service.Client.GetAsync($"/api/specialists/{nobody}"))
            .ShouldBeProblem(HttpStatusCode.NotFound, "specialist-not-found");
        await (await service.Client.GetAsync($"/api/specialists/{nobody}/timeline"))
            .ShouldBeProblem(HttpStatusCode.NotFound, "specialist-not-found");
        await (await service.Client.PostAsync(nobody, "pauses", new { reason = "x", startedOn = "2023-01-01" }))
            .ShouldBeProblem(HttpStatusCode.NotFound, "specialist-not-found");
        await using var session = service.Store.QuerySession();
        Assert.Null(await session.Events.FetchStreamStateAsync(nobody));
    }

    [Fact]
    public async Task as_of_dates_are_checked()
    {
        var id = await service.Client.RegisterAsync("2022-01-10");
        await (await service.Client.GetAsync($"/api/specialists/{id}?asOf=yesterday"))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "invalid-date");
        await (await service.Client.GetAsync($"/api/specialists/{id}?asOf=2999-01-01"))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "future-date");
        await (await service.Client.GetAsync($"/api/specialists/{id}?asOf=2021-01-01"))
            .ShouldBeProblem(HttpStatusCode.NotFound, "not-yet-certified");
    }
}

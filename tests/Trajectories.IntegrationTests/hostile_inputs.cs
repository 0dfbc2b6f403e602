using System.Net;
using System.Net.Http.Json;
using Trajectories.Careers;

namespace Trajectories.IntegrationTests;

/// <summary>What a hostile caller tried with documented calls only, each answered with a clear refusal.</summary>
[Collection(ServiceCollection.Name)]
public class hostile_inputs(ServiceFixture service)
{
    [Fact]
    public async Task the_words_of_a_hidden_free_text_group_are_not_listed()
    {
        await service.Client.ClinicalJobInNewMexicoAsync("Dr Quaxley's own team");
        await service.Store.WaitForRetentionFactsAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(1200);
        var (_, analystKey) = await service.CreateKeyAsync(Roles.Analyst);
        var analyst = service.ClientWith(analystKey);
        var report = await analyst.GetStringAsync("/api/retention/job?state=NM&groupBy=tier");
        Assert.DoesNotContain("Quaxley", report);
        Assert.Contains("other (hidden)", report);
        var csv = await analyst.GetStringAsync("/api/retention/job?state=NM&groupBy=tier&format=csv");
        Assert.DoesNotContain("Quaxley", csv);
    }

    [Theory]
    [InlineData("/api/specialists?pageSize=200&page=2147483647", "out-of-range")]
    [InlineData("/api/ingest/rejections?page=2147483647", "out-of-range")]
    [InlineData("/api/workforce/summary?from=0001-01-01", "period-too-long")]
    [InlineData("/api/retention/peer-work?asOf=0001-01-01", "date-out-of-range")]
    public async Task every_page_and_period_is_bounded(string url, string rule) =>
        await (await service.Client.GetAsync(url)).ShouldBeProblem(HttpStatusCode.BadRequest, rule);

    /// <summary>A NUL in a text filter was a 500 from PostgreSQL on every endpoint that filters by text.</summary>
    [Theory]
    [InlineData("/api/employers?state=OR%00")]
    [InlineData("/api/specialists?q=a%00b")]
    [InlineData("/api/worklist?state=OR%00")]
    [InlineData("/api/audit/activity?subject=x%00")]
    [InlineData("/api/ingest/rejections?source=x%00")]
    [InlineData("/api/retention/peer-work?state=O%01R")]
    public async Task a_control_character_in_the_query_is_refused_not_a_500(string url) =>
        await (await service.Client.GetAsync(url)).ShouldBeProblem(HttpStatusCode.BadRequest, "invalid-character");

    [Fact]
    public async Task server_timing_is_not_sent_unless_configured()
    {
        var response = await service.Client.GetAsync($"/api/specialists/{Guid.NewGuid()}");
        Assert.False(response.Headers.Contains("Server-Timing"));
    }

    [Fact]
    public async Task a_400_speaks_of_the_fields_not_of_dotnet_types()
    {
        var bad = await service.Client.PostAsJsonAsync("/api/specialists", new { name = 5 });
        var problem = await bad.ShouldBeProblem(HttpStatusCode.BadRequest, "malformed-request");
        Assert.DoesNotContain("Trajectories.", problem["detail"]!.GetValue<string>());
        Assert.Contains("'name'", problem["detail"]!.GetValue<string>());
        var query = await (await service.Client.GetAsync("/api/specialists?page=abc"))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "malformed-request");
        Assert.Equal("'page' must be a whole number.", query["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task a_scoped_key_cannot_move_a_person_out_of_its_states_nor_learn_who_holds_a_number()
    {
        var texan = await service.Client.RegisterAsync(state: "TX");
        var texasNumber = (await service.Client.SpecialistAsync(texan))["certificationNumber"]!.GetValue<string>();
        var (_, oregonKey) = await service.CreateKeyAsync(Roles.Staff, "OR");
        var oregon = service.ClientWith(oregonKey);
        var id = await oregon.RegisterAsync(state: "OR");
        var certified = (await oregon.TimelineAsync(id))[0]!["eventId"]!.GetValue<Guid>();

        foreach (var changes in new object[]
                 {
                     new Dictionary<string, object> { ["State"] = "TX" },
                     new Dictionary<string, object> { ["STATE"] = "tx", ["certificationNumber"] = texasNumber },
                 })
        {
            var correction = new { eventId = certified, reason = "x", changes };
            var response = await oregon.PostAsync(id, "corrections", correction);
            var problem = await response.ShouldBeProblem(HttpStatusCode.Forbidden, "state-out-of-scope");
            Assert.DoesNotContain(texan.ToString(), problem.ToJsonString());
        }
        Assert.Equal("OR", (await oregon.SpecialistAsync(id))["state"]!.GetValue<string>());
    }
}

/// <summary>
/// Exact output (Privacy:MinCellSize=1, a closed research environment): every group and its key shown.
/// </summary>
public sealed class ExactOutputFixture : ServiceFixture
{
    protected override IEnumerable<(string Key, string Value)> Settings() =>
        [("Privacy:MinCellSize", "1"), ("Retention:CacheRefreshMilliseconds", "0")];
}

public class csv_escaping(ExactOutputFixture service) : IClassFixture<ExactOutputFixture>
{
    [Fact]
    public async Task a_csv_cell_never_opens_with_a_formula()
    {
        await service.Client.ClinicalJobInNewMexicoAsync("=cmd|' /C calc'!A0");
        await service.Store.WaitForRetentionFactsAsync(TimeSpan.FromSeconds(30));
        var csv = await service.Client.GetStringAsync("/api/retention/job?state=NM&groupBy=tier&format=csv");
        Assert.Contains("'=cmd", csv);
        Assert.DoesNotContain("\n=cmd", csv.Replace("\r", ""));
        Assert.DoesNotContain(",=cmd", csv);
    }
}

public static class ClinicalJobs
{
    /// <summary>A new person in New Mexico hired into a clinical job whose tier is the employer's own words.</summary>
    public static async Task ClinicalJobInNewMexicoAsync(this HttpClient client, string tier)
    {
        var id = await client.RegisterAsync(state: "NM");
        await (await client.PostAsync(id, "hires", new
        {
            employer = "Clinic", title = "Counselor", jobType = "clinical", tier, hoursPerWeek = 40,
            hourlyWage = 25, startedOn = "2022-03-01",
        })).ShouldBe(HttpStatusCode.Created);
    }
}

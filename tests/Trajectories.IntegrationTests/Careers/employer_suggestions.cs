using System.Net;
using System.Net.Http.Json;
using Trajectories.Careers;
using Trajectories.IntegrationTests.Ingestion;

namespace Trajectories.IntegrationTests.Careers;

/// <summary>
/// The employers the forms suggest (issue 19, item 4): as hires name them after corrections, without voided hires,
/// most jobs first, and only of the key's states. Each test uses employer names of its own, in a state of its own.
/// </summary>
public class employer_suggestions(WorkLists.WorkListFixture service) : IClassFixture<WorkLists.WorkListFixture>
{
    private async Task<Guid> HireAsync(Guid person, string employer)
    {
        var response = await service.Client.PostAsJsonAsync($"/api/specialists/{person}/hires", new
        {
            employer, title = "Peer Support Specialist", jobType = "peer", hoursPerWeek = 30, hourlyWage = 19m,
            startedOn = "2022-03-01",
        });
        await response.ShouldBe(HttpStatusCode.Created);
        return (await response.Json())["jobId"]!.GetValue<Guid>();
    }

    private static async Task<Guid> EventIdOfAsync(HttpClient client, Guid person, string type) =>
        (await client.TimelineAsync(person)).Single(e => e!["type"]!.GetValue<string>() == type)!["eventId"]!
        .GetValue<Guid>();

    private static async Task<List<(string Name, int Jobs)>> SuggestedAsync(HttpClient client, string query = "")
    {
        var response = await client.GetAsync("/api/employers" + query);
        await response.ShouldBe(HttpStatusCode.OK);
        return (await response.Json())["employers"]!.AsArray()
            .Select(e => (e!["name"]!.GetValue<string>(), e["jobs"]!.GetValue<int>())).ToList();
    }

    [Fact]
    public async Task suggests_each_employer_once_as_corrected_most_jobs_first_and_only_in_the_keys_states()
    {
        var admin = service.Client;
        var tag = Guid.NewGuid().ToString("N")[..6];
        var (big, typo, fixedName, voided) = ($"Big Agency {tag}", $"Lane BH {tag}", $"Lane County BH {tag}",
            $"Never Was {tag}");
        var people = new List<Guid>();
        for (var i = 0; i < 3; i++) people.Add(await admin.RegisterAsync(state: "NM"));
        await HireAsync(people[0], big);
        await HireAsync(people[1], big);
        await HireAsync(people[2], typo);
        // The typo is corrected to the right name; another hire is voided.
        var typoHire = await EventIdOfAsync(admin, people[2], "hired");
        await (await admin.PostAsJsonAsync($"/api/specialists/{people[2]}/corrections",
                new { eventId = typoHire, changes = new { employer = fixedName }, reason = "spelling" }))
            .ShouldBe(HttpStatusCode.Created);
        var other = await admin.RegisterAsync(state: "NM");
        await HireAsync(other, voided);
        await (await admin.PostAsJsonAsync($"/api/specialists/{other}/corrections",
                new { eventId = await EventIdOfAsync(admin, other, "hired"), @void = true, reason = "wrong person" }))
            .ShouldBe(HttpStatusCode.Created);
        var washington = await admin.RegisterAsync(state: "AZ");
        await HireAsync(washington, $"Elsewhere {tag}");

        var newMexico = service.ClientWith((await service.CreateKeyAsync(Roles.Staff, "NM")).Key);
        var mine = (await SuggestedAsync(newMexico)).Where(e => e.Name.EndsWith(tag)).ToList();
        Assert.Equal([(big, 2), (fixedName, 1)], mine);

        // Another state's employers are not suggested, and asking for them is refused.
        await (await newMexico.GetAsync("/api/employers?state=AZ"))
            .ShouldBeProblem(HttpStatusCode.Forbidden, "state-out-of-scope");
        Assert.Contains(($"Elsewhere {tag}", 1), await SuggestedAsync(admin, "?state=az"));
        // Analysts see no employers' names with their counts (they are records of individuals' jobs).
        await (await service.ClientWith((await service.CreateKeyAsync(Roles.Analyst)).Key).GetAsync("/api/employers"))
            .ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task a_duplicate_certification_number_names_the_person_who_holds_it()
    {
        var number = CareerApi.UniqueNumber();
        var first = await service.Client.PostAsJsonAsync("/api/specialists", CareerApi.Registration(number: number));
        await first.ShouldBe(HttpStatusCode.Created);
        var holder = (await first.Json())["id"]!.GetValue<Guid>();
        var again = await service.Client.PostAsJsonAsync("/api/specialists", CareerApi.Registration(number: number));
        var problem = await again.ShouldBeProblem(HttpStatusCode.Conflict, "duplicate-certification-number");
        Assert.Equal(holder, problem["specialistId"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task an_integration_may_send_a_return_before_the_pause_it_ends()
    {
        // Staff's checks are for staff: a source system's events arrive in any order (ADR 10) and export imports back.
        var number = CareerApi.UniqueNumber();
        var subject = $"OR:{number}";
        var results = await (await service.Client.SendAsync(
            Ingest.Event("certified", subject, Ingest.Certified("OR", number)),
            Ingest.Event("hired", subject, new
            {
                employer = "Peer Run Org", title = "Peer", jobType = "peer", hoursPerWeek = 20, hourlyWage = 18,
                startedOn = "2022-02-01",
            }),
            Ingest.Event("returned-to-work", subject, new { effectiveOn = "2022-06-01" }),
            Ingest.Event("disability-pause-started", subject,
                new { reason = "health", startedOn = "2022-03-01" }))).ResultsAsync();
        Assert.All(results, r => Assert.Equal("accepted", r.Status));
        await service.Store.SettledAsync();
        var found = await (await service.Client.GetAsync($"/api/specialists?q={number}")).Json();
        var id = found["items"]!.AsArray().Single()!["id"]!.GetValue<Guid>();
        var types = (await service.Client.TimelineAsync(id)).Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.Contains("hired", types);
        Assert.Contains("returned-to-work", types);
        Assert.Contains("disability-pause-started", types);
    }

    [Fact]
    public async Task a_promotion_to_the_tier_held_and_a_return_with_no_pause_are_refused_and_change_nothing()
    {
        var admin = service.Client;
        var person = await admin.RegisterAsync();
        var job = await admin.HireAsync(person);
        var before = (await admin.TimelineAsync(person)).Count;
        var sameTier = await admin.PostAsync(person, "promotions",
            new { jobId = job, tier = "Peer I", effectiveOn = "2023-01-01" });
        var problem = await sameTier.ShouldBeProblem(HttpStatusCode.Conflict, "same-tier");
        Assert.Equal("tier", problem["field"]!.GetValue<string>());
        await (await admin.PostAsync(person, "returns", new { effectiveOn = "2023-02-01", jobId = job }))
            .ShouldBeProblem(HttpStatusCode.Conflict, "no-open-pause");
        Assert.Equal(before, (await admin.TimelineAsync(person)).Count);
    }
}

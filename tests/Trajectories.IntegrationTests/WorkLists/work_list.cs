using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Trajectories.Careers;
using Trajectories.IntegrationTests.Ingestion;

namespace Trajectories.IntegrationTests.WorkLists;

public sealed class WorkListFixture : ServiceFixture
{
    protected override IEnumerable<(string Key, string Value)> Settings() =>
        [("Retention:CacheRefreshMilliseconds", "0"), ("Employers:CacheSeconds", "0")];
}

/// <summary>
/// Staff's work list (issue 19, item 6): who needs something done, among the people of the key's states only.
/// </summary>
public class work_list(WorkListFixture service) : IClassFixture<WorkListFixture>
{
    private static string Day(int fromToday) => DateTime.UtcNow.Date.AddDays(fromToday).ToString("yyyy-MM-dd");

    private static bool Lists(JsonNode list, Guid id) =>
        list["items"]!.AsArray().Any(i => i!["id"]!.GetValue<Guid>() == id);

    [Fact]
    public async Task each_list_holds_the_people_it_says_and_only_of_the_keys_states()
    {
        var admin = service.Client;
        var expiring = await admin.RegisterAsync(certifiedOn: Day(-700), name: "Expiring Soon");
        await (await admin.PostAsJsonAsync($"/api/specialists/{expiring}/renewals",
            new { renewedOn = Day(-10), expiresOn = Day(30) })).ShouldBe(HttpStatusCode.Created);
        await (await admin.PostAsJsonAsync($"/api/specialists/{expiring}/check-ins",
            new { checkedInOn = Day(-5), reportedStatus = "seeking-peer-work" })).ShouldBe(HttpStatusCode.Created);
        var lapsed = await admin.RegisterAsync(certifiedOn: Day(-400), name: "Lapsed Person");
        await (await admin.PostAsJsonAsync($"/api/specialists/{lapsed}/lapses", new { lapsedOn = Day(-3) }))
            .ShouldBe(HttpStatusCode.Created);
        var quiet = await admin.RegisterAsync(certifiedOn: Day(-300), name: "Quiet Person");
        // Past its expiry (two years from the certification, no renewal) with no lapse recorded.
        var expired = await admin.RegisterAsync(certifiedOn: Day(-800), name: "Expired Person");
        var heard = await admin.RegisterAsync(certifiedOn: Day(-300), name: "Heard From");
        await (await admin.PostAsJsonAsync($"/api/specialists/{heard}/check-ins",
            new { checkedInOn = Day(-20), reportedStatus = "seeking-peer-work" })).ShouldBe(HttpStatusCode.Created);
        var lost = await admin.RegisterAsync(certifiedOn: Day(-300), name: "Lost Person");
        await (await admin.PostAsJsonAsync($"/api/specialists/{lost}/lost-to-follow-up",
            new { effectiveOn = Day(-1) })).ShouldBe(HttpStatusCode.Created);
        var elsewhere = await admin.RegisterAsync(certifiedOn: Day(-300), state: "WA", name: "Washington Quiet");
        // Integrations' refused events: one about an Oregon subject, one about Washington.
        await admin.SendAsync(Ingest.Event("checked-in", "OR:nobody-here",
            new { checkedInOn = Day(-1), reportedStatus = "employed-peer" }));
        await admin.SendAsync(Ingest.Event("checked-in", "WA:nobody-here",
            new { checkedInOn = Day(-1), reportedStatus = "employed-peer" }));
        await service.Store.SettledAsync();
        await service.Store.WaitForRetentionFactsAsync(TimeSpan.FromSeconds(60));

        var oregon = service.ClientWith((await service.CreateKeyAsync(Roles.Staff, "OR")).Key);
        var list = await (await oregon.GetAsync("/api/worklist")).Json();
        Assert.True(Lists(list["expiring"]!, expiring));
        Assert.Equal(Day(30), list["expiring"]!["items"]!.AsArray().Single(i =>
            i!["id"]!.GetValue<Guid>() == expiring)!["on"]!.GetValue<string>());
        Assert.Equal("Expiring Soon", list["expiring"]!["items"]![0]!["name"]!.GetValue<string>());
        Assert.True(Lists(list["lapsed"]!, lapsed));
        Assert.Equal("expired", list["lapsed"]!["items"]!.AsArray().Single(i =>
            i!["id"]!.GetValue<Guid>() == expired)!["why"]!.GetValue<string>());
        Assert.False(Lists(list["expiring"]!, lapsed));
        Assert.True(Lists(list["overdue"]!, quiet));
        Assert.False(Lists(list["overdue"]!, heard));
        Assert.True(Lists(list["lost"]!, lost));
        Assert.False(Lists(list["overdue"]!, lost));
        Assert.False(Lists(list["overdue"]!, elsewhere));
        var rejected = list["rejected"]!["items"]!.AsArray();
        Assert.Contains(rejected, r => r!["subject"]!.GetValue<string>() == "OR:nobody-here");
        Assert.DoesNotContain(rejected, r => r!["subject"]!.GetValue<string>() == "WA:nobody-here");
        // Admins see every state.
        var all = await (await admin.GetAsync("/api/worklist")).Json();
        Assert.True(Lists(all["overdue"]!, elsewhere));
        await (await oregon.GetAsync("/api/worklist?withinDays=0"))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "out-of-range");
        var analyst = service.ClientWith((await service.CreateKeyAsync(Roles.Analyst)).Key);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("/api/worklist")).StatusCode);
    }
}

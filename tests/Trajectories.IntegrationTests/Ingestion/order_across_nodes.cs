using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Trajectories.Careers;
using Trajectories.Ingestion;
using Wolverine;

namespace Trajectories.IntegrationTests.Ingestion;

/// <summary>
/// Issue 18's "order across nodes": node X accepts a hire and dies before applying it; the person's next event, sent
/// to node Y, must not be refused for want of the job X holds: it waits and is decided after the hire, on whichever
/// node applies it. Here X's accepted hire is a pending record with no apply message (what a dead node leaves behind
/// until its inbox is recovered), and the recovery is the apply message another node sends.
/// </summary>
public class order_across_nodes(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    private static string Number() => $"N{Guid.NewGuid():N}"[..16];

    /// <summary>An event as node X accepted it: recorded pending, its apply message lost with X.</summary>
    private async Task<IngestedEvent> AcceptedByADeadNodeAsync(JsonObject e, string subjectKey)
    {
        var doc = new IngestedEvent
        {
            Id = Guid.CreateVersion7(), Source = e["source"]!.GetValue<string>(), EventId = e["id"]!.GetValue<string>(),
            Type = e["type"]!.GetValue<string>(), Subject = e["subject"]!.GetValue<string>(), SubjectKey = subjectKey,
            Payload = e.ToJsonString(), Channel = "http", ReceivedAt = DateTimeOffset.UtcNow.AddSeconds(-1),
            ReceivedBy = "test:dead-node", Scope = [],
        };
        doc.Key = IngestedEvent.KeyOf(doc.Source, doc.EventId);
        await using var session = service.Store.LightweightSession();
        Assert.Single(await IngestLog.InsertNewAsync(session, [doc], default));
        await session.SaveChangesAsync();
        return doc;
    }

    private async Task<string> StatusAsync(JsonObject e) =>
        (await (await service.Client.GetAsync(
            $"/api/ingest/events?source={Uri.EscapeDataString(e["source"]!.GetValue<string>())}" +
            $"&id={Uri.EscapeDataString(e["id"]!.GetValue<string>())}")).Json())["status"]!.GetValue<string>();

    private async Task<string> EventuallyAsync(JsonObject e, Func<string, bool> done, int seconds = 30)
    {
        var status = "";
        for (var i = 0; i < seconds * 10 && !done(status = await StatusAsync(e)); i++) await Task.Delay(100);
        return status;
    }

    private async Task<Specialist> PersonAsync(string number)
    {
        await using var session = service.Store.QuerySession();
        return await session.Query<Specialist>().SingleAsync(s => s.State == "WA" && s.CertificationNumber == number);
    }

    private async Task<(string Number, Guid Job, JsonObject Hire, IngestedEvent Pending)> HireHeldByADeadNodeAsync()
    {
        var number = Number();
        var subject = $"WA:{number}";
        var certified = Ingest.Event("certified", subject, Ingest.Certified("WA", number));
        await (await service.Client.SendAsync(certified)).ResultsAsync();
        Assert.Equal("applied", await EventuallyAsync(certified, s => s == "applied"));
        var job = Guid.NewGuid();
        var hire = Ingest.Event("hired", subject, new
        {
            jobId = job, employer = "Lane County BH", title = "Peer", jobType = "peer", hoursPerWeek = 30,
            hourlyWage = 19, startedOn = "2023-02-01",
        });
        return (number, job, hire, await AcceptedByADeadNodeAsync(hire, subject));
    }

    [Fact]
    public async Task an_event_refused_while_earlier_events_are_pending_waits_for_them_and_is_decided_after()
    {
        var (number, job, hire, pending) = await HireHeldByADeadNodeAsync();
        var subject = $"WA:{number}";
        var promotion = Ingest.Event("promoted", subject,
            new { jobId = job, tier = "Peer II", effectiveOn = "2023-08-01" });
        var separation = Ingest.Event("separated", subject,
            new { jobId = job, reason = "burnout", voluntary = true, effectiveOn = "2024-01-31" });
        var later = await (await service.Client.SendAsync(promotion, separation)).ResultsAsync();
        Assert.All(later, r => Assert.Equal("accepted", r.Status));

        // Both would be refused job-not-held today; they wait, and say so.
        var st = await EventuallyAsync(promotion, s => s is "waiting" or "rejected");
        Assert.True(st == "waiting", (await (await service.Client.GetAsync(
            $"/api/ingest/events?source=urn:test&id={promotion["id"]}")).Json()).ToJsonString());
        Assert.Equal("waiting", await EventuallyAsync(separation, s => s == "waiting"));
        var detail = (await (await service.Client.GetAsync(
            $"/api/ingest/events?source=urn:test&id={promotion["id"]}")).Json())["rule"]!.GetValue<string>();
        Assert.Equal(ApplyIngestedHandler.WaitsForEarlier, detail);
        Assert.Single((await PersonAsync(number)).Entries);

        // Another node recovers the dead node's message: the hire is applied, and the two follow it, in order.
        using (var scope = service.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().PublishAsync(new ApplyIngested([pending.Id]),
                new DeliveryOptions { GroupId = service.Services.GetRequiredService<ApplyGroups>().For(pending) });
        Assert.Equal("applied", await EventuallyAsync(hire, s => s == "applied"));
        Assert.Equal("applied", await EventuallyAsync(promotion, s => s == "applied"));
        Assert.Equal("applied", await EventuallyAsync(separation, s => s == "applied"));
        var person = await PersonAsync(number);
        Assert.Equal(["Hired", "Promoted", "Separated"], person.Entries.Skip(1).Select(e => e.Event.GetType().Name));
    }

    [Fact]
    public async Task events_that_name_the_person_by_our_id_wait_alike()
    {
        var number = Number();
        var certified = Ingest.Event("certified", $"WA:{number}", Ingest.Certified("WA", number));
        await (await service.Client.SendAsync(certified)).ResultsAsync();
        Assert.Equal("applied", await EventuallyAsync(certified, s => s == "applied"));
        // Our id, spelled as a sender might (upper case): one key for the log whatever the spelling.
        var id = (await PersonAsync(number)).Id;
        var job = Guid.NewGuid();
        var hire = Ingest.Event("hired", id.ToString().ToUpperInvariant(), new
        {
            jobId = job, employer = "Lane County BH", title = "Peer", jobType = "peer", hoursPerWeek = 30,
            hourlyWage = 19, startedOn = "2023-02-01",
        });
        var pending = await AcceptedByADeadNodeAsync(hire, $"id:{id:D}");
        var promotion = Ingest.Event("promoted", id.ToString(),
            new { jobId = job, tier = "Peer II", effectiveOn = "2023-08-01" });
        await (await service.Client.SendAsync(promotion)).ResultsAsync();
        Assert.Equal("waiting", await EventuallyAsync(promotion, s => s is "waiting" or "rejected"));

        using (var scope = service.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().PublishAsync(new ApplyIngested([pending.Id]),
                new DeliveryOptions { GroupId = service.Services.GetRequiredService<ApplyGroups>().For(pending) });
        Assert.Equal("applied", await EventuallyAsync(promotion, s => s is "applied" or "rejected"));
        Assert.Equal(["Hired", "Promoted"],
            (await PersonAsync(number)).Entries.Skip(1).Select(e => e.Event.GetType().Name));
    }

    [Fact]
    public async Task an_event_by_our_id_waits_for_an_earlier_one_by_state_and_number()
    {
        var (number, job, hire, pending) = await HireHeldByADeadNodeAsync();
        var id = (await PersonAsync(number)).Id;
        var promotion = Ingest.Event("promoted", id.ToString(),
            new { jobId = job, tier = "Peer II", effectiveOn = "2023-08-01" });
        await (await service.Client.SendAsync(promotion)).ResultsAsync();
        Assert.Equal("waiting", await EventuallyAsync(promotion, s => s is "waiting" or "rejected"));
        using (var scope = service.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().PublishAsync(new ApplyIngested([pending.Id]),
                new DeliveryOptions { GroupId = service.Services.GetRequiredService<ApplyGroups>().For(pending) });
        Assert.Equal("applied", await EventuallyAsync(hire, s => s is "applied" or "rejected"));
        Assert.Equal("applied", await EventuallyAsync(promotion, s => s is "applied" or "rejected"));
    }

    [Fact]
    public async Task an_event_with_nothing_earlier_pending_is_refused_as_before()
    {
        var number = Number();
        var subject = $"WA:{number}";
        var certified = Ingest.Event("certified", subject, Ingest.Certified("WA", number));
        await (await service.Client.SendAsync(certified)).ResultsAsync();
        Assert.Equal("applied", await EventuallyAsync(certified, s => s == "applied"));
        var promotion = Ingest.Event("promoted", subject,
            new { jobId = Guid.NewGuid(), tier = "Peer II", effectiveOn = "2023-08-01" });
        await (await service.Client.SendAsync(promotion)).ResultsAsync();
        Assert.Equal("rejected", await EventuallyAsync(promotion, s => s is "rejected" or "applied"));
    }

    [Fact]
    public async Task a_wait_whose_wake_up_was_lost_is_decided_by_the_sweep()
    {
        var (number, job, hire, pending) = await HireHeldByADeadNodeAsync();
        var promotion = Ingest.Event("promoted", $"WA:{number}",
            new { jobId = job, tier = "Peer II", effectiveOn = "2023-08-01" });
        await (await service.Client.SendAsync(promotion)).ResultsAsync();
        Assert.Equal("waiting", await EventuallyAsync(promotion, s => s == "waiting"));

        // The earlier event is decided without waking anyone (as when two nodes race, or its store failed): here an
        // operator's rejection written straight into the log.
        await using (var connection = new NpgsqlConnection(service.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "update trajectories.ingested_events set status = 'rejected', rule = 'cannot-apply' where id = @id",
                connection);
            command.Parameters.AddWithValue("id", pending.Id);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        // The sweep (every 5 s) finds it with nothing earlier pending and sends it: now it is refused on its merits.
        Assert.Equal("rejected", await EventuallyAsync(promotion, s => s == "rejected", seconds: 30));
        var rule = (await (await service.Client.GetAsync(
            $"/api/ingest/events?source=urn:test&id={promotion["id"]}")).Json())["rule"]!.GetValue<string>();
        Assert.Equal("job-not-held", rule);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/health/ready")).StatusCode);
        _ = hire;
    }
}

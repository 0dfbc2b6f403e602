using System.Text;
using Marten;
using Trajectories.Careers;
using Trajectories.Ingestion;

namespace Trajectories.IntegrationTests.Ingestion;

/// <summary>The RabbitMQ listener on a real broker (scripts/mq.sh): the same intake as HTTP, channel
/// "rabbitmq".</summary>
public class ingest_over_rabbitmq(RabbitMqServiceFixture service) : IClassFixture<RabbitMqServiceFixture>
{
    private static string Number() => $"Q{Guid.NewGuid():N}"[..16];

    private async Task<List<IngestedEvent>> ReceivedAsync(string source)
    {
        await using var session = service.Store.QuerySession();
        return await IngestLogReads.FromSourceAsync(session, source);
    }

    private async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        for (var i = 0; i < 300; i++)
        {
            var value = await read();
            if (done(value)) return value;
            await Task.Delay(100);
        }
        throw new TimeoutException($"not within 30 s: {what}");
    }

    [Fact]
    public async Task published_events_are_recorded_once_and_bad_ones_are_kept_as_rejections()
    {
        var number = Number();
        var source = $"urn:hr-{number}";
        var subject = $"OR:{number}";
        var events = new[]
        {
            Ingest.Event("certified", subject, Ingest.Certified("OR", number), id: "c", source: source),
            Ingest.Event("hired", subject, new
            {
                employer = "Peer Run Org", title = "Peer", jobType = "peer",
                hoursPerWeek = 20, hourlyWage = 18, startedOn = "2022-03-01"
            }, id: "h", source: source),
            Ingest.Event("hired", subject, new { employer = "X" }, id: "bad", source: source),
        };
        await using var connection = await Broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.PublishAsync(service.Queue, events);
        await channel.PublishAsync(service.Queue, events);       // a publisher's retry: the same three again
        await channel.PublishAsync(service.Queue, events[1]);    // and one of them on its own

        var received = await EventuallyAsync(() => ReceivedAsync(source),
            r => r.Count == 3 && r.All(x => x.Status != IngestStatus.Pending), "three events decided");
        await Task.Delay(500);                                   // the later copies have had time to arrive
        received = await ReceivedAsync(source);
        Assert.Equal(3, received.Count);
        Assert.All(received, x => Assert.Equal("rabbitmq", x.Channel));
        Assert.All(received, x => Assert.Equal($"rabbitmq:{service.Queue}", x.ReceivedBy));
        Assert.Equal(IngestStatus.Rejected, received.Single(x => x.EventId == "bad").Status);
        Assert.Equal(0u, await Broker.CountAsync(connection, service.Queue));

        await using var session = service.Store.QuerySession();
        var person = await session.Query<Specialist>()
            .SingleAsync(s => s.State == "OR" && s.CertificationNumber == number);
        Assert.Equal(["certified", "hired"], person.Entries.Select(e => CareerJson.KindOf(e.Event)));
        Assert.Equal($"integration:{source}", person.Entries[1].Channel);

        // An admin finds the rejection with its reason, as for HTTP.
        var rejections = await (await service.Client.GetAsync(
            $"/api/ingest/rejections?source={Uri.EscapeDataString(source)}")).Json();
        var item = Assert.Single(rejections["items"]!.AsArray());
        Assert.Equal("bad", item!["eventId"]!.GetValue<string>());
        Assert.Equal("rabbitmq", item["channel"]!.GetValue<string>());
    }

    [Fact]
    public async Task binary_mode_messages_carry_the_attributes_as_cloudevents_headers()
    {
        var number = Number();
        var source = $"urn:hr-{number}";
        var subject = $"OR:{number}";
        // The AMQP binding of CloudEvents: attributes as 'cloudEvents:' (or JMS-style 'cloudEvents_') headers, the
        // data as the body, its type as the content type. RabbitMQ hands string headers over as UTF-8 bytes.
        Dictionary<string, object?> Headers(string prefix, string id, string kind) => new()
        {
            [prefix + "specversion"] = "1.0", [prefix + "id"] = id, [prefix + "source"] = source,
            [prefix + "type"] = $"org.trajectories.cps.{kind}.v1", [prefix + "subject"] = subject,
            [prefix + "time"] = "2024-05-01T10:00:00Z",
        };
        byte[] Json(object data) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(data);
        await using var connection = await Broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.PublishRawAsync(service.Queue, Json(Ingest.Certified("OR", number)), "application/json",
            Headers("cloudEvents:", "c", "certified"));
        var hire = new
        {
            employer = "Peer Run Org", title = "Peer", jobType = "peer", hoursPerWeek = 20, hourlyWage = 18,
            startedOn = "2022-03-01",
        };
        await channel.PublishRawAsync(service.Queue, Json(hire), "application/json",
            Headers("cloudEvents_", "h", "hired"));
        // The same hire as a structured message: one event (source and id), so recorded once.
        await channel.PublishAsync(service.Queue, Ingest.Event("hired", subject, hire, id: "h", source: source));
        // Headers that disagree with a structured body: which is meant is a guess, so it is dead-lettered.
        var before = await Broker.CountAsync(connection, service.DeadLetterQueue);
        await channel.PublishRawAsync(service.Queue, Encoding.UTF8.GetBytes(Ingest.Event("checked-in", subject,
                new { checkedInOn = "2024-01-01", reportedStatus = "employed-peer" }, id: "k", source: source)
            .ToJsonString()), "application/cloudevents+json", Headers("cloudEvents:", "other", "checked-in"));

        var received = await EventuallyAsync(() => ReceivedAsync(source),
            r => r.Count == 2 && r.All(x => x.Status == IngestStatus.Applied), "both binary events applied");
        await EventuallyAsync(() => Broker.CountAsync(connection, service.DeadLetterQueue), n => n >= before + 1,
            "the ambiguous message dead-lettered");
        Assert.Equal(["c", "h"], received.Select(x => x.EventId).Order());
        await using var session = service.Store.QuerySession();
        var person = await session.Query<Specialist>()
            .SingleAsync(s => s.State == "OR" && s.CertificationNumber == number);
        Assert.Equal(["certified", "hired"], person.Entries.Select(e => CareerJson.KindOf(e.Event)));
        Assert.Equal("Peer Run Org", ((Hired)person.Entries[1].Event).Employer);
    }

    [Fact]
    public async Task binary_headers_that_are_not_one_text_each_are_dead_lettered_and_byte_arrays_are_text()
    {
        var number = Number();
        var source = $"urn:hr-{number}";
        Dictionary<string, object?> Headers(string id) => new()
        {
            ["cloudEvents:specversion"] = "1.0", ["cloudEvents:id"] = id, ["cloudEvents:source"] = source,
            ["cloudEvents:type"] = "org.trajectories.cps.certified.v1",
        };
        var data = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Ingest.Certified("OR", number));
        await using var connection = await Broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        var before = await Broker.CountAsync(connection, service.DeadLetterQueue);
        // Not text: a table, an array, bytes that are not UTF-8; and one attribute given twice.
        var table = Headers("t");
        table["cloudEvents:id"] = new Dictionary<string, object?> { ["a"] = "one" };
        var array = Headers("a");
        array["cloudEvents:id"] = new List<object?> { "one", "two" };
        var notUtf8 = Headers("u");
        notUtf8["cloudEvents:id"] = new RabbitMQ.Client.BinaryTableValue([0x6d, 0xff, 0xfe]);
        var twice = Headers("d1");
        twice["cloudEvents_id"] = "d2";
        foreach (var headers in new[] { table, array, notUtf8, twice })
            await channel.PublishRawAsync(service.Queue, data, "application/json", headers);
        // A byte-array value (Go's amqp091 sends []byte so) is the attribute's UTF-8 text.
        var bytes = Headers("ignored");
        bytes["cloudEvents:id"] = new RabbitMQ.Client.BinaryTableValue(Encoding.UTF8.GetBytes("bytes-id"));
        await channel.PublishRawAsync(service.Queue, data, "application/JSON", bytes);

        var received = await EventuallyAsync(() => ReceivedAsync(source),
            r => r.Count == 1 && r[0].Status == IngestStatus.Applied, "the byte-array event applied");
        Assert.Equal("bytes-id", received.Single().EventId);
        await EventuallyAsync(() => Broker.CountAsync(connection, service.DeadLetterQueue), n => n >= before + 4,
            "four messages dead-lettered");
        await Task.Delay(300);
        Assert.Single(await ReceivedAsync(source));
    }

    [Fact]
    public async Task the_settings_show_the_listener_but_not_the_broker_password()
    {
        var body = await service.Client.GetStringAsync("/api/admin/settings");
        var rabbit = System.Text.Json.Nodes.JsonNode.Parse(body)!["rabbitMq"]!;
        Assert.True(rabbit["enabled"]!.GetValue<bool>());
        Assert.Equal(service.Queue, rabbit["queue"]!.GetValue<string>());
        Assert.Equal(service.DeadLetterQueue, rabbit["deadLetterQueue"]!.GetValue<string>());
        Assert.DoesNotContain(new Uri(Broker.Url).UserInfo, body);
        Assert.DoesNotContain("amqp://", body);
        Assert.Equal(
            ApplyGroups.DefaultPartitions,
            System.Text.Json.Nodes.JsonNode.Parse(body)!["ingestApplyPartitions"]!.GetValue<int>());
    }

    [Fact]
    public async Task a_message_that_is_not_cloudevents_goes_to_the_dead_letter_queue_and_the_listener_goes_on()
    {
        await using var connection = await Broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        var before = await Broker.CountAsync(connection, service.DeadLetterQueue);
        var source = $"urn:after-junk-{Number()}";
        await channel.PublishRawAsync(service.Queue, "not json at all"u8.ToArray(), "text/plain");
        await channel.PublishRawAsync(service.Queue, [0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);   // invalid UTF-8
        await channel.PublishRawAsync(service.Queue, Encoding.UTF8.GetBytes("{\"hello\": \"world\"}"),
            "application/json");
        await channel.PublishRawAsync(service.Queue,
            Encoding.UTF8.GetBytes(new string('[', 200) + new string(']', 200)));
        var number = Number();
        await channel.PublishAsync(service.Queue,
            Ingest.Event("certified", null, Ingest.Certified("OR", number), id: "ok", source: source));

        await EventuallyAsync(() => Broker.CountAsync(connection, service.DeadLetterQueue), n => n >= before + 4,
            "four messages dead-lettered");
        var received = await EventuallyAsync(() => ReceivedAsync(source),
            r => r.Count == 1 && r[0].Status == IngestStatus.Applied, "the good event applied");
        Assert.Single(received);
        await using var session = service.Store.QuerySession();
        // Nothing of the junk was recorded: every record on the store is a CloudEvent someone sent on purpose.
        Assert.Equal(
            0,
            (await session.AdvancedSql.QueryAsync<int>(
                "select count(*)::int from trajectories.ingested_events where source = '' or event_id = ''",
                CancellationToken.None)).Single());
        Assert.True(await session.Query<Specialist>().AnyAsync(s => s.CertificationNumber == number));
    }

    [Fact]
    public async Task an_event_that_arrives_before_its_person_is_applied_once_the_certified_event_arrives()
    {
        var number = Number();
        var subject = $"or:{number}";                             // the state in lower case names the same person
        var source = $"urn:board-{number}";
        await using var connection = await Broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.PublishAsync(service.Queue, Ingest.Event("credential-earned", subject,
            new { credential = "recovery-coach", earnedOn = "2023-05-01" }, id: "cred", source: source));
        var waiting = await EventuallyAsync(() => ReceivedAsync(source),
            r => r.Count == 1 && r[0].Status == IngestStatus.Rejected, "the early event rejected");
        Assert.Equal("specialist-not-found", waiting[0].Rule);

        // The certification comes over HTTP, from another system: the waiting event follows it without a retry.
        var results = await (await service.Client.SendAsync(Ingest.Event("certified", null,
            Ingest.Certified("OR", number), id: "cert", source: "urn:other-board"))).ResultsAsync();
        Assert.Equal("accepted", results[0].Status);
        await EventuallyAsync(() => ReceivedAsync(source), r => r[0].Status == IngestStatus.Applied,
            "the waiting event applied");
        await using var session = service.Store.QuerySession();
        var person = await session.Query<Specialist>()
            .SingleAsync(s => s.State == "OR" && s.CertificationNumber == number);
        Assert.Equal(["certified", "credential-earned"], person.Entries.Select(e => CareerJson.KindOf(e.Event)));
    }
}

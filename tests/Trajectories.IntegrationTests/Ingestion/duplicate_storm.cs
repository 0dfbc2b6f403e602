using System.Text.Json.Nodes;
using Marten;
using Npgsql;
using Trajectories.Careers;
using Trajectories.Ingestion;

namespace Trajectories.IntegrationTests.Ingestion;

public sealed class StormFixture : RabbitMqServiceFixture
{
    protected override IEnumerable<(string Key, string Value)> Settings() =>
        base.Settings().Append(("Ingest:RequestsPerSecond", "100000"));
}

/// <summary>
/// Every event of a 5,000-event set sent twice at the same time, once over HTTP and once over RabbitMQ, each channel
/// with several senders: each event is recorded once (event counts and stream versions compared with the set).
/// </summary>
public class duplicate_storm(StormFixture service, Xunit.Abstractions.ITestOutputHelper output)
    : IClassFixture<StormFixture>
{
    private const int People = 1_000;            // 5 events each
    private const string Source = "urn:storm";

    [Fact]
    public async Task every_event_sent_over_http_and_rabbitmq_at_once_is_recorded_once()
    {
        var set = Enumerable.Range(0, People).Select(p => Ingest.Career(p, "STORM", Source)).ToList();
        var started = DateTimeOffset.UtcNow;

        // HTTP: batches of 50 people (250 events), 4 senders. RabbitMQ: messages of 10 people (50 events), 4
        // publishers, in the reverse order, so the two channels meet in the middle with both copies in flight.
        var http = Enumerable.Range(0, People / 50)
            .Select(b => set.Skip(b * 50).Take(50).SelectMany(x => x).ToArray()).ToList();
        var rabbit = Enumerable.Range(0, People / 10)
            .Select(b => set.Skip(b * 10).Take(10).SelectMany(x => x).ToArray()).Reverse().ToList();

        var httpSends = Senders(4, http.Count, async i =>
        {
            var results = await (await service.Client.SendAsync(http[i])).ResultsAsync();
            Assert.All(results, r => Assert.Contains(r.Status, new[] { "accepted", "duplicate" }));
        });
        await using var connection = await Broker.ConnectAsync();
        var rabbitSends = Senders(4, rabbit.Count, async i =>
        {
            await using var channel = await connection.CreateChannelAsync();
            await channel.PublishAsync(service.Queue, rabbit[i]);
        });
        await Task.WhenAll(httpSends, rabbitSends);
        // Every RabbitMQ message consumed, then every accepted event applied.
        for (var i = 0; i < 1200 && await Broker.CountAsync(connection, service.Queue) > 0; i++) await Task.Delay(100);
        Assert.Equal(0u, await Broker.CountAsync(connection, service.Queue));
        await Task.Delay(1000);
        await service.Store.SettledAsync();
        output.WriteLine(
            $"10,000 sends of 5,000 events settled in {(DateTimeOffset.UtcNow - started).TotalSeconds:F1} s");

        await using var session = service.Store.QuerySession();
        var received = await IngestLogReads.FromSourceAsync(session, Source);
        Assert.Equal(People * 5, received.Count);                                         // one record per (source, id)
        Assert.All(received, x => Assert.Equal(IngestStatus.Applied, x.Status));
        output.WriteLine($"first copies: {received.Count(x => x.Channel == "http")} over HTTP, " +
            $"{received.Count(x => x.Channel == "rabbitmq")} over RabbitMQ");
        Assert.Contains(received, x => x.Channel == "http");
        Assert.Contains(received, x => x.Channel == "rabbitmq");

        var people = await session.Query<Specialist>().Where(s => s.CertificationNumber.StartsWith("STORM-"))
            .ToListAsync();
        Assert.Equal(People, people.Count);
        Assert.All(people, s => Assert.Equal(5, s.Version));   // five events per stream, no more
        Assert.All(people, s => Assert.Equal(
            ["certified", "hired", "checked-in", "checked-in", "promoted"],
            s.Entries.Select(e => CareerJson.KindOf(e.Event))));

        // The event store itself, not only the projection: 5,000 events in these streams.
        await using var conn = new NpgsqlConnection(service.ConnectionString);
        await conn.OpenAsync();
        var schema = service.Store.Options.Events.DatabaseSchemaName;
        await using var count =
            new NpgsqlCommand($"select count(*) from {schema}.mt_events where stream_id = any(@ids)", conn);
        count.Parameters.AddWithValue("ids", people.Select(p => p.Id).ToArray());
        Assert.Equal(People * 5L, (long)(await count.ExecuteScalarAsync())!);
    }

    private static Task Senders(int senders, int count, Func<int, Task> send)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, senders).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count) await send(i);
        }));
    }
}

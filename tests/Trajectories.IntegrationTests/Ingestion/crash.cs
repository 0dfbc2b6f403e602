using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;

namespace Trajectories.IntegrationTests.Ingestion;

/// <summary>
/// kill -9 of the service in the middle of a 50,000-event ingest, a restart, and the sender resending everything it
/// could not confirm (as a real integration would): every event ends up applied exactly once.
/// </summary>
public class crash(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const int People = 10_000;          // 5 events each: 50,000
    private const int PerBatch = 100;           // people per batch: 500 events
    private readonly string _adminKey = "crash-admin-" + Guid.NewGuid().ToString("N");
    private string _connection = "";

    public async Task InitializeAsync() => _connection = await TestDatabase.CreateAsync("traj_crash");
    public async Task DisposeAsync() => await TestDatabase.DropAsync(_connection);

    private Task<(Process Process, HttpClient Client)> StartAsync() => ServiceProcess.StartAsync(_connection,
        _adminKey, new Dictionary<string, string> { ["Ingest__RequestsPerSecond"] = "100000" },
        TimeSpan.FromSeconds(60));

    private static string Batch(int index)
    {
        var events = new JsonArray();
        for (var p = index * PerBatch; p < (index + 1) * PerBatch; p++)
            foreach (var e in Ingest.Career(p, "CRASH", "urn:crash-test")) events.Add(e);
        return events.ToJsonString();
    }

    /// <summary>Sends the batches not yet confirmed with 4 senders; returns once all are confirmed or the service is
    /// gone.</summary>
    private static async Task SendAsync(HttpClient client, bool[] confirmed, Func<int, bool>? afterConfirm = null)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= confirmed.Length) return;
                if (confirmed[i]) continue;
                try
                {
                    var response = await client.PostAsync("/api/ingest/events",
                        new StringContent(Batch(i), Encoding.UTF8, "application/cloudevents-batch+json"));
                    if (response.StatusCode != HttpStatusCode.Accepted)
                        throw new InvalidOperationException(
                            $"batch {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    var statuses = (await response.Json())["results"]!.AsArray()
                        .Select(r => r!["status"]!.GetValue<string>()).ToList();
                    Assert.All(statuses, s => Assert.Contains(s, new[] { "accepted", "duplicate" }));
                    confirmed[i] = true;
                    if (afterConfirm?.Invoke(i) == true) return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    return; // the service died under us: this batch stays unconfirmed
                }
            }
        }));
    }

    private async Task<long> ScalarAsync(string sql) => Convert.ToInt64(await ValueAsync(sql));

    private async Task<string> TextAsync(string sql) => Convert.ToString(await ValueAsync(sql)) ?? "";

    private async Task<object?> ValueAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task a_kill_9_mid_ingest_loses_nothing_and_applies_nothing_twice()
    {
        var batches = People / PerBatch;
        var confirmed = new bool[batches];
        var (first, client) = await StartAsync();
        var confirmedCount = 0;
        var killed = false;
        await SendAsync(client, confirmed, _ =>
        {
            // Kill once about 40% is confirmed, while the other senders' batches are in flight and the apply queue
            // is busy.
            if (Interlocked.Increment(ref confirmedCount) == batches * 2 / 5 && !killed)
            {
                killed = true;
                first.Kill(entireProcessTree: true); // SIGKILL on Linux
            }
            return killed;
        });
        await first.WaitForExitAsync();
        Assert.True(killed);
        var confirmedBeforeKill = confirmed.Count(c => c);
        Assert.InRange(confirmedBeforeKill, batches / 4, batches - 1);

        // Accepted before the kill but not applied yet: these must be applied after the restart, from the durable
        // inbox.
        var pendingAtKill =
            await ScalarAsync("select count(*) from trajectories.ingested_events where status = 'pending'");
        output.WriteLine($"killed with {confirmedBeforeKill} of {batches} batches confirmed; " +
            $"{pendingAtKill} accepted events not yet applied");
        var (second, again) = await StartAsync();
        try
        {
            await SendAsync(again, confirmed);
            Assert.All(confirmed, Assert.True);

            // Everything accepted (before or after the crash) gets applied: nothing stays pending.
            for (var i = 0; i < 600 && await ScalarAsync(
                "select count(*) from trajectories.ingested_events where status = 'pending'") > 0; i++)
                await Task.Delay(250);
            var counts = new Dictionary<string, long>
            {
                ["not applied"] =
                    await ScalarAsync("select count(*) from trajectories.ingested_events where status <> 'applied'"),
                ["records"] = await ScalarAsync("select count(*) from trajectories.ingested_events"),
                ["keys"] = await ScalarAsync("select count(distinct key) from trajectories.ingested_events"),
                ["events"] = await ScalarAsync("select count(*) from trajectories.mt_events"),
                ["streams at 5"] = await ScalarAsync("select count(*) from trajectories.mt_streams where version = 5"),
                ["specialists"] = await ScalarAsync("select count(*) from trajectories.mt_doc_specialist"),
                ["confirmed before kill"] = confirmedBeforeKill,
            };
            var summary = string.Join(", ", counts.Select(kv => $"{kv.Key} {kv.Value}"));
            output.WriteLine("apply messages left: " + await TextAsync(
                "select coalesce(string_agg(received_at || ' ' || status || ' owner ' || owner_id || ': ' || n, " +
                "'; '), 'none') from (select received_at, status, owner_id, count(*) n " +
                "from trajectories.wolverine_incoming_envelopes group by 1, 2, 3) e"));
            output.WriteLine(summary);
            Assert.True(
                counts["not applied"] == 0 && counts["records"] == People * 5 && counts["keys"] == People * 5,
                summary);
            Assert.Equal(
                0,
                await ScalarAsync("select count(*) from trajectories.ingested_events where status <> 'applied'"));
            Assert.Equal(People * 5, await ScalarAsync("select count(*) from trajectories.ingested_events"));
            Assert.Equal(People * 5, await ScalarAsync("select count(distinct key) from trajectories.ingested_events"));
            // Exactly once: 50,000 career events, five per person, each stream at version 5.
            Assert.Equal(People * 5, await ScalarAsync("select count(*) from trajectories.mt_events"));
            Assert.Equal(People, await ScalarAsync("select count(*) from trajectories.mt_streams where version = 5"));
            Assert.Equal(People, await ScalarAsync("select count(*) from trajectories.mt_doc_specialist"));
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }
    }
}

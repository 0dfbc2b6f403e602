using System.Net;
using Marten;
using Npgsql;

namespace Trajectories.IntegrationTests;

/// <summary>A node running no daemon (Projections:Daemon=off), allowing no lag: ready must say it is behind.</summary>
public sealed class NoDaemonFixture : ServiceFixture
{
    protected override IEnumerable<(string Key, string Value)> Settings() =>
        [("Projections:Daemon", "off"), ("Health:MaxProjectionLagSeconds", "0"), ("Health:StuckIngestMinutes", "1")];
}

public class health_that_tells_the_truth(NoDaemonFixture service) : IClassFixture<NoDaemonFixture>
{
    private async Task<System.Text.Json.Nodes.JsonObject> ReadyAsync(HttpStatusCode expected)
    {
        using var anonymous = service.ClientWith(null);
        var response = await anonymous.GetAsync("/health/ready");
        await response.ShouldBe(expected);
        return (await response.Json()).AsObject();
    }

    [Fact]
    public async Task live_answers_while_ready_names_the_projection_that_is_behind_and_the_stuck_events()
    {
        using var anonymous = service.ClientWith(null);
        await (await anonymous.GetAsync("/health/live")).ShouldBe(HttpStatusCode.OK);
        await (await anonymous.GetAsync("/health")).ShouldBe(HttpStatusCode.OK);

        // Something to project, and nobody projecting it.
        await service.Client.RegisterAsync();
        await Task.Delay(1100);
        var body = await ReadyAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("not-ready", body["status"]!.GetValue<string>());
        var checks = body["checks"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!);
        Assert.True(checks["database"]["ok"]!.GetValue<bool>());
        var projection = checks.Where(c => c.Key.StartsWith("projection")).Select(c => c.Value).ToList();
        Assert.NotEmpty(projection);
        Assert.All(projection, p => Assert.False(p["ok"]!.GetValue<bool>()));

        // An accepted event that has waited too long to be applied.
        await using (var connection = new NpgsqlConnection(service.ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                "insert into trajectories.ingested_events (id, key, source, event_id, type, payload, channel, " +
                "received_at, received_by, scope, status, attempts) values (@id, @key, 'urn:health', @key, " +
                "'org.trajectories.cps.checked-in.v1', '{}', 'http', now() - interval '2 hours', 'health', '{}', " +
                "'pending', 1)", connection);
            insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
            insert.Parameters.AddWithValue("key", $"urn:health\u001f{Guid.NewGuid()}");
            await insert.ExecuteNonQueryAsync();
        }
        checks = (await ReadyAsync(HttpStatusCode.ServiceUnavailable))["checks"]!.AsArray()
            .ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!);
        Assert.False(checks["ingest"]["ok"]!.GetValue<bool>());
        Assert.Contains("waited over 1 minutes", checks["ingest"]["detail"]!.GetValue<string>());
        Assert.Contains("dead-letters", checks.Keys);
    }
}

/// <summary>
/// Marten 9 keeps high-water bookkeeping in the progression table (HighWaterStuckGap, HighWaterAllocationFence) below
/// the newest event by design; read as projections they made readiness answer 503 for good after a stuck gap (a node
/// killed mid-append), which is what failed the rolling-restart test.
/// </summary>
public class readiness_reads_only_projections(ServiceFixture service) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task marten_bookkeeping_rows_are_not_projections_that_lag()
    {
        await service.Client.RegisterAsync();
        using var anonymous = service.ClientWith(null);
        var ready = HttpStatusCode.ServiceUnavailable;
        for (var i = 0; i < 100 && ready != HttpStatusCode.OK; i++)
        {
            await Task.Delay(200);
            ready = (await anonymous.GetAsync("/health/ready")).StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, ready);
        await using (var connection = new NpgsqlConnection(service.ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                "insert into trajectories.mt_event_progression (name, last_seq_id, last_updated) values " +
                "('HighWaterStuckGap', 0, now() - interval '1 hour'), " +
                "('HighWaterAllocationFence', 0, now() - interval '1 hour') on conflict (name) do update set " +
                "last_seq_id = 0", connection);
            await insert.ExecuteNonQueryAsync();
        }
        var body = await (await anonymous.GetAsync("/health/ready")).Json();
        Assert.Equal("ready", body["status"]!.GetValue<string>());
        Assert.DoesNotContain(body["checks"]!.AsArray(), c => c!["name"]!.GetValue<string>().Contains("HighWater"));
    }
}

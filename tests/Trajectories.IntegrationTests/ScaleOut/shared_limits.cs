using System.Net;
using System.Net.Http.Headers;
using Trajectories.IntegrationTests.Ingestion;

namespace Trajectories.IntegrationTests.ScaleOut;

/// <summary>
/// Issue 18: "Ingest:RequestsPerSecond per key was per node: 600 rapid requests over three nodes were all accepted".
/// Two nodes on one database; a key's requests (and an address's failed keys) are counted across both.
/// </summary>
public class shared_limits(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const int PerSecond = 5;
    private const int FailuresPerMinute = 6;
    private readonly string _adminKey = "limits-admin-" + Guid.NewGuid().ToString("N");
    private string _connection = "";

    public async Task InitializeAsync() => _connection = await TestDatabase.CreateAsync("traj_limits");
    public async Task DisposeAsync() => await TestDatabase.DropAsync(_connection);

    private Task<Node> StartAsync() => Node.StartAsync(_connection, _adminKey, new Dictionary<string, string>
    {
        ["Ingest__RequestsPerSecond"] = PerSecond.ToString(),
        ["Auth__FailedAttemptsPerMinute"] = FailuresPerMinute.ToString(),
    });

    private static long Window(DateTimeOffset t, TimeSpan length) =>
        t.ToUnixTimeMilliseconds() / (long)length.TotalMilliseconds;

    [Fact]
    public async Task a_keys_ingest_rate_is_the_deployments_not_each_nodes()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync();
        // Warm: each node's first request compiles its handlers (slow enough to spread a burst over seconds).
        foreach (var node in new[] { first, second })
            await node.Client.SendAsync(Ingest.Event("checked-in", "OR:LIMIT-warm",
                new { checkedInOn = "2024-01-01", reportedStatus = "employed-peer" }));
        await Task.Delay(1500);
        // 40 requests at once, half to each node. Alone, each node's bucket lets 2 x 5 through: 20 in all.
        var started = DateTimeOffset.UtcNow;
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? first : second).Client
            .SendAsync(Ingest.Event("checked-in", $"OR:LIMIT-{i}",
                new { checkedInOn = "2024-01-01", reportedStatus = "employed-peer" }))));
        var ended = DateTimeOffset.UtcNow;
        var accepted = answers.Count(a => a.StatusCode == HttpStatusCode.Accepted);
        var windows = Window(ended, TimeSpan.FromSeconds(1)) - Window(started, TimeSpan.FromSeconds(1)) + 1;
        output.WriteLine($"40 requests over two nodes in {windows} one-second windows: {accepted} accepted, " +
                         $"{answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests)} refused 429");
        Assert.All(answers, a => Assert.Contains(a.StatusCode,
            new[] { HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests }));
        Assert.InRange(accepted, 1, PerSecond * windows);
        Assert.All(answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests),
            a => Assert.Equal("1", a.Headers.RetryAfter?.ToString()));

        // An operator drops the table: the next counts make it again (the review found it gone for good).
        await using (var connection = new Npgsql.NpgsqlConnection(_connection))
        {
            await connection.OpenAsync();
            await new Npgsql.NpgsqlCommand("drop table trajectories.shared_windows", connection).ExecuteNonQueryAsync();
        }
        await Task.Delay(1100);
        for (var i = 0; i < 4; i++)
            await first.Client.SendAsync(Ingest.Event("checked-in", "OR:LIMIT-again",
                new { checkedInOn = "2024-01-01", reportedStatus = "employed-peer" }));
        await using (var connection = new Npgsql.NpgsqlConnection(_connection))
        {
            await connection.OpenAsync();
            Assert.Equal(1L, await new Npgsql.NpgsqlCommand(
                "select count(*) from pg_tables where schemaname = 'trajectories' and tablename = 'shared_windows'",
                connection).ExecuteScalarAsync());
        }
    }

    [Fact]
    public async Task failed_keys_from_one_address_are_counted_across_nodes()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync();
        var started = DateTimeOffset.UtcNow;
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 4 * FailuresPerMinute; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/specialists");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-" + i);
            codes.Add((await (i % 2 == 0 ? first : second).Client.SendAsync(request)).StatusCode);
        }
        var minutes = Window(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1)) -
            Window(started, TimeSpan.FromMinutes(1)) + 1;
        var unauthorized = codes.Count(c => c == HttpStatusCode.Unauthorized);
        output.WriteLine($"{codes.Count} wrong keys over two nodes: {unauthorized} answered 401, " +
                         $"{codes.Count(c => c == HttpStatusCode.TooManyRequests)} refused 429");
        // Alone, each node would answer 401 six times: twelve in all.
        Assert.InRange(unauthorized, 1, FailuresPerMinute * minutes);
        Assert.Equal(HttpStatusCode.TooManyRequests, codes[^1]);
        // A valid key is never held back by it.
        Assert.Equal(HttpStatusCode.OK, (await first.Client.GetAsync("/api/specialists")).StatusCode);
    }
}

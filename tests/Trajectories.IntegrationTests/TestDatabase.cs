using Npgsql;
using Testcontainers.PostgreSql;

namespace Trajectories.IntegrationTests;

/// <summary>
/// Where integration tests get PostgreSQL: TRAJECTORIES_TEST_CONNECTION (set by `make test` to the project's local
/// cluster), else a Testcontainers container when a Docker engine is reachable, else a failure saying what to set.
/// Each fixture gets a database of its own, dropped at the end, so test classes can run side by side.
/// </summary>
public static class TestDatabase
{
    public const string Variable = "TRAJECTORIES_TEST_CONNECTION";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _server;

    public static async Task<string> CreateAsync(string prefix)
    {
        var server = await ServerAsync();
        var name = $"{prefix}_{Guid.NewGuid():N}"[..40].ToLowerInvariant();
        await using (var conn = new NpgsqlConnection(server))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"create database \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        // Many fixtures start at once on two cores, each creating its schema: a schema's DDL once waited past
        // Npgsql's 30 s command timeout in a fresh-clone run. Tests measure behaviour, not that wait.
        return new NpgsqlConnectionStringBuilder(server)
        {
            Database = name, Pooling = true, MaxPoolSize = 60, CommandTimeout = 120,
        }.ConnectionString;
    }

    public static async Task DropAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(await ServerAsync());
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<string> ServerAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_server is not null) return _server;
            var configured = Environment.GetEnvironmentVariable(Variable);
            if (!string.IsNullOrWhiteSpace(configured)) return _server = configured;
            if (!DockerLooksReachable())
                throw new InvalidOperationException(
                    $"Integration tests need PostgreSQL. Set {Variable} to an Npgsql connection string of a server " +
                    "where the user may create databases (`make test` does this for the project's local cluster: " +
                    "see `scripts/pg.sh conn`), or make a Docker engine reachable for Testcontainers.");
            var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            await container.StartAsync();
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                container.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
            return _server = container.GetConnectionString();
        }
        finally
        {
            Gate.Release();
        }
    }

    private static bool DockerLooksReachable() =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock");
}

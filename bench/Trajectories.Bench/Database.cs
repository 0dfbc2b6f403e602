using Npgsql;

namespace Trajectories.Bench;

/// <summary>A fresh database per data size on the project's local cluster, and the counts the benchmark
/// checks.</summary>
public sealed class Database(string admin, string name)
{
    public string Connection =>
        new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 100 }.ConnectionString;

    public async Task RecreateAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecAsync(admin, $"drop database if exists \"{name}\" with (force)");
        await ExecAsync(admin, $"create database \"{name}\"");
    }

    public async Task DropAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecAsync(admin, $"drop database if exists \"{name}\" with (force)");
    }

    public Task<long> CountAsync(string sql) => ScalarAsync<long>(Connection, sql);

    public Task<string> ScalarTextAsync(string sql) => ScalarAsync<string>(Connection, sql);

    public static async Task<T> ScalarAsync<T>(string connection, string sql)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)Convert.ChangeType((await cmd.ExecuteScalarAsync())!, typeof(T));
    }

    public static async Task ExecAsync(string connection, string sql)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 600 };
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<long> TableCountAsync(string table) =>
        await ScalarAsync<long>(Connection, $"select count(*) from {table}");
}

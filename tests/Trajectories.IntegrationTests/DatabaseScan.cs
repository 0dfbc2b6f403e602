using Npgsql;

namespace Trajectories.IntegrationTests;

/// <summary>Looks for a text in every row of every table of the database (each row as text), whatever the
/// schema.</summary>
public static class DatabaseScan
{
    public static async Task<bool> ContainsAsync(NpgsqlConnection connection, string text) =>
        (await WhereAsync(connection, text)).Count > 0;

    public static async Task<List<string>> WhereAsync(NpgsqlConnection connection, string text)
    {
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "select quote_ident(table_schema) || '.' || quote_ident(table_name) from information_schema.tables " +
            "where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));

        var found = new List<string>();
        foreach (var table in tables)
        {
            await using var cmd = new NpgsqlCommand(
                $"select count(*) from {table} t where strpos(t::text, @text) > 0", connection);
            cmd.Parameters.AddWithValue("text", text);
            if ((long)(await cmd.ExecuteScalarAsync())! > 0) found.Add(table);
        }
        return found;
    }
}

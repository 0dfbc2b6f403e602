using System.Diagnostics;
using System.Text.Json;
using JasperFx;
using JasperFx.Events;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Trajectories.Careers;
using Trajectories.Demo;
using Weasel.Core;

namespace Trajectories.Bench;

/// <summary>
/// The ceilings of this machine for writing the same events: Marten's own quick append (no HTTP, no projections,
/// batched) and PostgreSQL's binary COPY of equivalent rows. Every speed is also shown as a ratio to these.
/// </summary>
public static class Baselines
{
    public static List<IReadOnlyList<CareerEvent>> Cohort(int specialists, int seed)
    {
        var generator = new CohortGenerator(seed, DateOnly.FromDateTime(DateTime.UtcNow));
        return Enumerable.Range(0, specialists).Select(i => generator.Person(seed * 10_000_000 + i)).ToList();
    }

    /// <summary>A bare Marten store in a schema of its own (events serialized as the service does), emptied.</summary>
    private static async Task<DocumentStore> EmptyStoreAsync(string connection, string schema, EventAppendMode mode)
    {
        var store = DocumentStore.For(opts =>
        {
            opts.Connection(connection);
            opts.DatabaseSchemaName = schema;
            opts.UseSystemTextJsonForSerialization(
                EnumStorage.AsString, Casing.CamelCase, o => CareerJson.Configure(o));
            opts.Events.AppendMode = mode;
            opts.AutoCreateSchemaObjects = AutoCreate.All;
        });
        await store.Advanced.Clean.CompletelyRemoveAllAsync();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return store;
    }

    public static async Task<double> MartenQuickAppendAsync(string connection, List<IReadOnlyList<CareerEvent>> people)
    {
        await using var store = await EmptyStoreAsync(connection, "bench_raw", EventAppendMode.Quick);
        var total = people.Sum(p => p.Count);
        var watch = Stopwatch.StartNew();
        foreach (var batch in people.Chunk(500))
        {
            await using var session = store.LightweightSession();
            foreach (var person in batch)
                session.Events.StartStream(Guid.CreateVersion7(), person.Cast<object>().ToArray());
            await session.SaveChangesAsync();
        }
        watch.Stop();
        var stored = await Database.ScalarAsync<long>(connection, "select count(*) from bench_raw.mt_events");
        if (stored != total)
            throw new InvalidOperationException($"quick append stored {stored} events, expected {total}");
        return total / watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Marten's own bulk load (IDocumentStore.BulkInsertEventsAsync: COPY of the events and their streams, no inline
    /// projection, no concurrency check): the ceiling issue 21 measures ingestion against.
    /// </summary>
    public static async Task<double> MartenBulkInsertAsync(string connection, List<IReadOnlyList<CareerEvent>> people)
    {
        await using var store = await EmptyStoreAsync(connection, "bench_bulk", EventAppendMode.Rich);
        var total = people.Sum(p => p.Count);
        // The stream actions are built by a session that is never saved: only BulkInsertEventsAsync writes.
        await using var builder = store.LightweightSession();
        var streams = people.Select(person =>
            builder.Events.StartStream(Guid.CreateVersion7(), person.Cast<object>().ToArray())).ToList();
        var watch = Stopwatch.StartNew();
        await store.BulkInsertEventsAsync(streams);
        watch.Stop();
        var stored = await Database.ScalarAsync<long>(connection, "select count(*) from bench_bulk.mt_events");
        var versions = await Database.ScalarAsync<long>(connection,
            "select count(*) from bench_bulk.mt_streams s where s.version <> " +
            "(select count(*) from bench_bulk.mt_events e where e.stream_id = s.id)");
        if (stored != total || versions != 0)
            throw new InvalidOperationException(
                $"bulk insert stored {stored} events, expected {total}; {versions} streams with a wrong version");
        return total / watch.Elapsed.TotalSeconds;
    }

    public static async Task<double> CopyAsync(string connection, List<IReadOnlyList<CareerEvent>> people)
    {
        await Database.ExecAsync(connection,
            "drop table if exists bench_copy; create table bench_copy (stream_id uuid, version int, type text, " +
            "data jsonb, ts timestamptz, primary key (stream_id, version))");
        var total = people.Sum(p => p.Count);
        var watch = Stopwatch.StartNew();
        await using (var conn = new NpgsqlConnection(connection))
        {
            await conn.OpenAsync();
            await using var writer = await conn.BeginBinaryImportAsync(
                "copy bench_copy (stream_id, version, type, data, ts) from stdin (format binary)");
            var now = DateTimeOffset.UtcNow;
            foreach (var person in people)
            {
                var id = Guid.CreateVersion7();
                for (var v = 0; v < person.Count; v++)
                {
                    var e = person[v];
                    await writer.StartRowAsync();
                    await writer.WriteAsync(id, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(v + 1, NpgsqlDbType.Integer);
                    await writer.WriteAsync(CareerJson.KindOf(e), NpgsqlDbType.Text);
                    await writer.WriteAsync(
                        JsonSerializer.Serialize(e, e.GetType(), CareerJson.Options), NpgsqlDbType.Jsonb);
                    await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
                }
            }
            await writer.CompleteAsync();
        }
        watch.Stop();
        var stored = await Database.ScalarAsync<long>(connection, "select count(*) from bench_copy");
        if (stored != total) throw new InvalidOperationException($"COPY stored {stored} rows, expected {total}");
        return total / watch.Elapsed.TotalSeconds;
    }
}

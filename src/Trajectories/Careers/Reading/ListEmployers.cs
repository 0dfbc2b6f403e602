using Marten;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using NpgsqlTypes;
using Wolverine.Http;

namespace Trajectories.Careers.Reading;

public sealed record EmployerName(string Name, int Jobs);

public sealed record EmployerList(IReadOnlyList<EmployerName> Employers);

public static class ListEmployersEndpoint
{
    public const int Limit = 500;

    /// <summary>How long a node reuses an answer for the same states (Employers:CacheSeconds, 60 by default).</summary>
    public const string CacheSetting = "Employers:CacheSeconds";

    // Per store (a test process holds several), then per states.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IDocumentStore,
        System.Collections.Concurrent.ConcurrentDictionary<string, (DateTimeOffset At, Task<List<EmployerName>> Names)>>
        Answers = new();

    /// <summary>
    /// The employers of the jobs recorded for the key's states, as their hires name them after corrections (a
    /// corrected "Lane County BH" is suggested as the name it was corrected to; voided hires are left out), most jobs
    /// first. The forms suggest them as staff type, so one employer is not recorded under two spellings. Read from the
    /// snapshots in one statement (about 60 ms at 3,000 people, 0.3 s for one state of 30,000, linear in people),
    /// kept a minute per node and states: suggestions may lag a new employer by that much. People whose identity was
    /// erased are left out: their employer stays in their record for the figures, not in everyone's suggestions.
    /// </summary>
    [WolverineGet("/api/employers", Summary = "Employers already recorded, for suggestions"), Access(Roles.Staff),
     Tags("Specialists")]
    [ProducesResponseType<EmployerList>(200)]
    public static async Task<IResult> Get(string? state, IDocumentStore store, IConfiguration configuration,
        HttpContext context)
    {
        var scope = Caller.From(context.User).States;
        string[]? states = scope?.ToArray();
        if (!string.IsNullOrWhiteSpace(state))
        {
            var code = state.Trim().ToUpperInvariant();
            // Another state than the key's is refused, as the work list refuses it.
            if (scope is not null && !scope.Contains(code)) return Scope.OutOfScope(code, "state").ToProblem();
            states = [code];
        }
        var key = states is null ? "*" : string.Join(",", states.Order(StringComparer.Ordinal));
        var now = DateTimeOffset.UtcNow;
        var fresh = TimeSpan.FromSeconds(configuration.GetValue(CacheSetting, 60));
        var answers = Answers.GetOrCreateValue(store);
        if (!answers.TryGetValue(key, out var cached) || now - cached.At >= fresh || cached.Names.IsFaulted)
        {
            cached = (now, ReadAsync(store, states));
            answers[key] = cached;
        }
        return Results.Ok(new EmployerList(await cached.Names.WaitAsync(context.RequestAborted)));
    }

    private static async Task<List<EmployerName>> ReadAsync(IDocumentStore store, string[]? states)
    {
        var table = $"{store.Options.DatabaseSchemaName}.mt_doc_specialist";
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"""
             with entries as (
               select x.e from {table} s, jsonb_array_elements(s.data->'entries') x(e)
               where (@states::text[] is null or s.data->>'state' = any(@states))
                 and s.data->>'name' <> '[erased]'),
             hires as (
               select e->>'eventId' as id, e->'event'->>'employer' as employer from entries
               where e->'event'->>'$kind' = 'hired'),
             voided as (
               select e->'event'->>'eventId' as id from entries where e->'event'->>'$kind' = 'event-voided'),
             fixed as (
               select distinct on (e->'event'->>'eventId') e->'event'->>'eventId' as id,
                 e->'event'->'changes'->>'employer' as employer
               from entries
               where e->'event'->>'$kind' = 'event-corrected' and e->'event'->'changes' ? 'employer'
               order by e->'event'->>'eventId', (e->>'version')::int desc)
             select coalesce(f.employer, h.employer) as employer, count(*)::int as jobs
             from hires h left join fixed f on f.id = h.id
             where h.id not in (select id from voided) and coalesce(f.employer, h.employer) <> ''
             group by 1 order by 2 desc, 1 limit {Limit}
             """, connection);
        command.Parameters.Add(new NpgsqlParameter("states", NpgsqlDbType.Array | NpgsqlDbType.Text)
        {
            Value = (object?)states ?? DBNull.Value,
        });
        var found = new List<EmployerName>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            found.Add(new EmployerName(reader.GetString(0), reader.GetInt32(1)));
        return found;
    }
}

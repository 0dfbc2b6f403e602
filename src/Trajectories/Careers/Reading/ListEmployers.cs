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

    /// <summary>
    /// The employers of the jobs recorded for the key's states, as their hires name them after corrections (a
    /// corrected "Lane County BH" is suggested as the name it was corrected to; voided hires are left out), most jobs
    /// first. The forms suggest them as staff type, so one employer is not recorded under two spellings. Read from the
    /// snapshots in one statement: the web app asks once per form, and the browser filters as the user types.
    /// </summary>
    [WolverineGet("/api/employers", Summary = "Employers already recorded, for suggestions"), Access(Roles.Staff),
     Tags("Specialists")]
    [ProducesResponseType<EmployerList>(200)]
    public static async Task<IResult> Get(string? state, IDocumentStore store, HttpContext context)
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
        var table = $"{store.Options.DatabaseSchemaName}.mt_doc_specialist";
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(context.RequestAborted);
        await using var command = new NpgsqlCommand(
            $"""
             with entries as (
               select x.e from {table} s, jsonb_array_elements(s.data->'entries') x(e)
               where @states::text[] is null or s.data->>'state' = any(@states)),
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
        await using var reader = await command.ExecuteReaderAsync(context.RequestAborted);
        while (await reader.ReadAsync(context.RequestAborted))
            found.Add(new EmployerName(reader.GetString(0), reader.GetInt32(1)));
        return Results.Ok(new EmployerList(found));
    }
}

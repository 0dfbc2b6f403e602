using Marten;
using Npgsql;
using Trajectories.Retention.Facts;

namespace Trajectories.IntegrationTests.Retention;

/// <summary>
/// The retention facts' table is versioned with their shape (RetentionFactsProjection.Shape, Marten's blue/green
/// projection versions): the name the raw SQL reads use is the one Marten writes, and the facts carry check-ins.
/// </summary>
public class facts_table(DisclosureFixture service) : IClassFixture<DisclosureFixture>
{
    [Fact]
    public async Task the_raw_table_name_is_where_marten_keeps_the_facts_of_the_current_shape()
    {
        await using var session = service.Store.QuerySession();
        var facts = await session.Query<RetentionFacts>().ToListAsync();
        Assert.NotEmpty(facts);
        Assert.Contains(facts, f => f.CheckIns.Count > 0);
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select count(*) from {RetentionFactsProjection.Table}", connection);
        Assert.Equal(facts.Count, Convert.ToInt32(await command.ExecuteScalarAsync()));
        Assert.EndsWith("_" + RetentionFactsProjection.Shape, RetentionFactsProjection.Table);
    }
}

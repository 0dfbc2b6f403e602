using System.Text.Json;
using Marten;
using Marten.Events;
using Trajectories.Careers;
using Trajectories.Retention.Facts;

namespace Trajectories.IntegrationTests;

/// <summary>
/// The async retention facts read a person's history from the inline Specialist document when it is whole and at
/// least as new as the events being projected, and from the events otherwise. Both must give the facts of the events.
/// </summary>
[Collection(ServiceCollection.Name)]
public class retention_facts_source(ServiceFixture service)
{
    private async Task<(string Stored, string FromEvents)> FactsAsync(Guid id)
    {
        await service.Store.WaitForRetentionFactsAsync(TimeSpan.FromSeconds(30));
        await using var session = service.Store.QuerySession();
        var stored = await session.LoadAsync<RetentionFacts>(id);
        var events = await session.Events.FetchStreamAsync(id);
        var expected = RetentionFacts.From(SpecialistProjection.Apply(null, id, events)!);
        if (stored is not null) expected!.LastModified = stored.LastModified; // Marten's write time, not a fact
        return (JsonSerializer.Serialize(stored, CareerJson.Options),
            JsonSerializer.Serialize(expected, CareerJson.Options));
    }

    [Fact]
    public async Task facts_from_the_document_and_from_the_events_are_the_facts_of_the_events()
    {
        var api = service.Client;
        var id = await api.RegisterAsync("2021-02-01", state: "NM");
        await api.HireAsync(id, "2021-06-01");
        var (stored, expected) = await FactsAsync(id);
        Assert.Contains("\"peer\"", expected);
        Assert.Equal(expected, stored);

        // As an append during a rebuild of the Specialist projection leaves it: a document missing the first events.
        await using (var session = service.Store.LightweightSession())
        {
            var doc = (await session.LoadAsync<Specialist>(id))!;
            doc.Entries.RemoveAt(0);
            session.Store(doc);
            await session.SaveChangesAsync();
        }
        await using (var session = service.Store.LightweightSession())
        {
            session.Events.Append(id, new DisabilityPauseStarted("SSDI", new DateOnly(2022, 1, 3)));
            await session.SaveChangesAsync();
        }
        var before = stored;
        (stored, expected) = await FactsAsync(id);
        Assert.NotEqual(before, expected);                 // the pause is in the facts
        Assert.Equal(expected, stored);
    }
}

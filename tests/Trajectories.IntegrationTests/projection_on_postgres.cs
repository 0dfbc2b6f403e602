using Marten;
using Trajectories.Careers;

namespace Trajectories.IntegrationTests;

/// <summary>The inline projection on real PostgreSQL: events appended out of order, the stored snapshot read
/// back.</summary>
[Collection(ServiceCollection.Name)]
public class projection_on_postgres(ServiceFixture service)
{
    private static DateOnly D(string s) => DateOnly.ParseExact(s, "yyyy-MM-dd");

    [Fact]
    public async Task late_and_out_of_order_events_are_folded_by_effective_date()
    {
        var id = Guid.CreateVersion7();
        var peer = Guid.NewGuid();
        var other = Guid.NewGuid();
        var number = CareerApi.UniqueNumber();
        // Recorded in this order, in four separate transactions, as integrations might send them.
        CareerEvent[][] batches =
        [
            [
                new SpecialistCertified(
                    "Late Arrival", "OR", "recovery-coach", number, D("2021-05-01"), "Coos", true, true, null)
            ],
            [
                new Separated(peer, "health-disability", false, D("2023-05-01"), null),
                new Hired(peer, "Coos Health", "Recovery Coach", "peer", "Peer I", 24, 17m, D("2021-09-01"))
            ],
            [
                new Hired(other, "Diner", "Cook", "other", null, 30, 15m, D("2023-08-01")),
                new DisabilityPauseStarted("SSDI", D("2023-05-01"))
            ],
            [new DisabilityPauseEnded(D("2023-07-15"))],
        ];
        foreach (var batch in batches)
        {
            await using var session = service.Store.LightweightSession();
            if (batch[0] is SpecialistCertified) session.Events.StartStream<Specialist>(id, batch);
            else session.Events.Append(id, batch);
            await session.SaveChangesAsync();
        }

        await using var query = service.Store.QuerySession();
        var stored = (await query.LoadAsync<Specialist>(id))!;
        Assert.Equal(6, stored.Version);
        Assert.Equal("employed-other", stored.Status);
        Assert.Equal("Coos", stored.County);
        var history = stored.History();
        Assert.Equal("paused", CareerState.At(history, D("2023-06-01")).Status);
        Assert.Equal("not-employed", CareerState.At(history, D("2023-07-20")).Status);
        Assert.Equal("employed-peer", CareerState.At(history, D("2023-04-30")).Status);
        Assert.Equal(
            D("2023-05-01").DayNumber - D("2021-09-01").DayNumber,
            CareerState.At(history, D("2024-01-01")).PeerWorkDays);
        // Metadata survives the round trip through jsonb.
        Assert.All(stored.Entries, e => Assert.NotEqual(Guid.Empty, e.EventId));
        Assert.All(stored.Entries, e =>
            Assert.True(e.RecordedAt > DateTimeOffset.UtcNow.AddMinutes(-10), $"recorded at {e.RecordedAt}"));
        Assert.Equal([1L, 2, 3, 4, 5, 6], stored.Entries.Select(e => e.Version));
    }
}

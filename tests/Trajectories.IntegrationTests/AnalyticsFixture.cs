using Marten;
using Marten.Events;
using Trajectories.Careers;
using Trajectories.Survival;

namespace Trajectories.IntegrationTests;

/// <summary>
/// The service with a known cohort written as events (through Marten, as integrations will) and the async retention
/// projection caught up. Oregon has 30 people, Idaho 12 (6 never hired), Washington 3: small enough to be hidden.
/// </summary>
public sealed class AnalyticsFixture : ServiceFixture
{
    public static readonly DateOnly AsOf = new(2025, 1, 1);
    public List<Observation> OregonPeerWork { get; } = [];
    public int OregonBurnout { get; private set; }

    // The facts arrive after the cache's start-up warm-up; a cache that may be stale for a second would answer the
    // first queries from the empty warm-up.
    protected override IEnumerable<(string Key, string Value)> Settings() =>
        [("Retention:CacheRefreshMilliseconds", "0")];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var session = Store.LightweightSession();
        for (var i = 0; i < 30; i++) Person(session, "OR", i, hired: true);
        for (var i = 0; i < 12; i++) Person(session, "ID", i, hired: i % 2 == 0);
        for (var i = 0; i < 3; i++) Person(session, "WA", i, hired: true);
        await session.SaveChangesAsync();
        await Store.WaitForRetentionFactsAsync(TimeSpan.FromSeconds(60));
    }

    private void Person(IDocumentSession session, string state, int i, bool hired)
    {
        var certified = new DateOnly(2021, 1, 1).AddDays(i * 7);
        var events = new List<CareerEvent>
        {
            new SpecialistCertified($"{state} person {i}", state, "adult-peer", $"{state}-{i}-{Guid.NewGuid():N}"[..20],
                certified, "Any", i % 4 == 0, i % 3 == 0, null),
        };
        if (hired)
        {
            var job = Guid.NewGuid();
            var start = certified.AddDays(i % 5 * 30);
            events.Add(new Hired(job, "Agency", "Peer", "peer", "Peer I", i % 2 == 0 ? 40 : 20, 18 + i % 3, start));
            DateOnly? end = i % 3 == 0 ? start.AddDays(100 * (i % 7 + 1)) : null;
            var reason = i % 2 == 0 ? "burnout" : "better-pay";
            if (end is { } e) events.Add(new Separated(job, reason, true, e, null));
            if (state == "OR")
            {
                var happened = end is { } x && x <= AsOf;
                OregonPeerWork.Add(
                    new Observation((happened ? end!.Value : AsOf).DayNumber - start.DayNumber, happened));
                if (happened && reason == "burnout") OregonBurnout++;
            }
        }
        session.Events.StartStream<Specialist>(Guid.CreateVersion7(), events);
    }
}

[CollectionDefinition(Name)]
public sealed class AnalyticsCollection : ICollectionFixture<AnalyticsFixture>
{
    public const string Name = "analytics";
}

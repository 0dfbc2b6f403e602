using Marten;
using Marten.Events;

namespace Trajectories.IntegrationTests;

public static class Projections
{
    /// <summary>
    /// Waits until the async RetentionFacts projection has processed every committed event. Marten's
    /// WaitForNonStaleProjectionDataAsync looks at the daemons running in this process at the moment it is called;
    /// under HotCold the daemon may still be waiting for its leadership poll, and then it returns before anything ran.
    /// </summary>
    public static async Task WaitForRetentionFactsAsync(this IDocumentStore store, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        long? lastSeen = null;
        while (true)
        {
            await using var session = store.QuerySession();
            var events = session.Events.QueryAllRawEvents();
            var highest = await events.AnyAsync()
                ? await Marten.QueryableExtensions.MaxAsync(events, e => e.Sequence)
                : 0;
            var progress = await store.Advanced.AllProjectionProgress();
            lastSeen = progress.Where(p => p.ShardName.StartsWith("RetentionFacts", StringComparison.Ordinal))
                .Select(p => (long?)p.Sequence).Max();
            if (lastSeen >= highest) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException(
                    $"RetentionFacts reached sequence {lastSeen?.ToString() ?? "none"} of {highest} in {timeout}.");
            await Task.Delay(100);
        }
    }
}

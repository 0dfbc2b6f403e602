using Marten;
using Wolverine;

namespace Trajectories.Ingestion;

/// <summary>
/// Every 5 s, on every node: events that wait for earlier ones about their person
/// (<see cref="ApplyIngestedHandler.WaitsForEarlier"/>) and have nothing earlier pending any more are sent to be
/// decided. Normally the batch that decides the earlier events wakes them in its own transaction; this makes up for a
/// wake-up lost to two nodes deciding at the same moment, or an earlier event that failed to store. Claiming restarts
/// an event's wait, so nodes do not send the same event twice in one round (and a second apply finds it decided).
/// </summary>
public sealed class WakeWaitingEvents(
    IDocumentStore store, IServiceScopeFactory scopes, ApplyGroups groups, ILogger<WakeWaitingEvents> logger)
    : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var session = store.LightweightSession();
                var stranded = await IngestLog.ClaimStrandedAsync(session, Every, stoppingToken);
                if (stranded.Count == 0) continue;
                using var scope = scopes.CreateScope();
                await groups.SendAsync(scope.ServiceProvider.GetRequiredService<IMessageBus>(), stranded);
                logger.LogInformation("Sent {Count} waiting ingested events to be decided", stranded.Count);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Waking waiting ingested events failed ({Type}); trying again", e.GetType().Name);
            }
        }
    }
}

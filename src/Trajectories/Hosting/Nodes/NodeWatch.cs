using Trajectories.Access;

namespace Trajectories.Hosting.Nodes;

/// <summary>
/// Every node beats (<see cref="ServiceNodes.BeatAsync"/>) and fences the nodes that stopped beating
/// (<see cref="ServiceNodes.FenceSilentAsync"/>). A frozen node (SIGSTOP, a stalled VM) keeps its connections open,
/// and with them the async daemon's advisory lock: without fencing nobody projects until it wakes (issue 18). Ended
/// sessions release the lock, so another node takes the daemon at its next leadership poll; when the frozen node
/// wakes, its lock monitor sees the session gone and it stops its copy of the projection (ADR 15). Logs carry node
/// ids and counts only.
/// </summary>
public sealed class NodeWatch(
    ServiceNodes nodes, SharedWindows windows, NodeSettings settings, NodeIdentity self, ILogger<NodeWatch> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Node {Node} ({Name}) started", self.Id, self.Name);
        using var timer = new PeriodicTimer(settings.Heartbeat);
        var nextForget = DateTimeOffset.UtcNow.AddMinutes(1);
        var failing = false;
        do
        {
            try
            {
                if (await nodes.BeatAsync(stoppingToken) is { } fenced)
                {
                    // Sessions another node ended are still in the pool and would fail once each: drop them.
                    nodes.ClearPool();
                    logger.LogWarning(
                        "Node {Node} was fenced at {FencedAt:O} after {Seconds:0} s without a heartbeat (frozen or " +
                        "cut off); its database sessions were ended and it goes on as a follower", self.Id,
                        fenced.FencedAt, fenced.SilentSeconds);
                }
                if (settings.Fencing)
                    foreach (var (node, sessions) in await nodes.FenceSilentAsync(settings.FenceAfter, stoppingToken))
                        logger.LogWarning(
                            "Fenced node {Node} ({Name}): no heartbeat for {Seconds:0} s; ended its {Sessions} " +
                            "database sessions", node.Id, node.Name, node.SilentSeconds, sessions);
                if (DateTimeOffset.UtcNow > nextForget)
                {
                    await nodes.ForgetGoneAsync(stoppingToken);
                    await windows.ForgetOldAsync(stoppingToken);
                    nextForget = DateTimeOffset.UtcNow.AddMinutes(1);
                }
                if (failing) logger.LogInformation("Node {Node} heartbeat restored", self.Id);
                failing = false;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                if (!failing)
                    logger.LogWarning("Node {Node} heartbeat failed ({Type}); retrying", self.Id, e.GetType().Name);
                failing = true;
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

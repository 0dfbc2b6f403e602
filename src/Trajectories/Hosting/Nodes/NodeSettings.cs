namespace Trajectories.Hosting.Nodes;

/// <summary>
/// <c>Nodes:HeartbeatSeconds</c> (1): how often a node says it is alive. <c>Nodes:FenceAfterSeconds</c> (10): how long
/// a node may be silent before the others end its database sessions; 0 turns fencing off. The threshold is well
/// above the heartbeat so a busy node is not mistaken for a frozen one, and below the fail-over goals of issue 18.
/// </summary>
public sealed record NodeSettings(TimeSpan Heartbeat, TimeSpan FenceAfter)
{
    public bool Fencing => FenceAfter > TimeSpan.Zero;

    public static NodeSettings From(IConfiguration configuration)
    {
        var heartbeat = configuration.GetValue("Nodes:HeartbeatSeconds", 1.0);
        var fence = configuration.GetValue("Nodes:FenceAfterSeconds", 10.0);
        if (heartbeat is <= 0 or > 60)
            throw new Careers.ConfigurationError(
                $"Nodes:HeartbeatSeconds must be more than 0 and at most 60; it is {heartbeat}.");
        if (fence < 0 || (fence > 0 && fence < 3 * heartbeat))
            throw new Careers.ConfigurationError(
                $"Nodes:FenceAfterSeconds must be 0 (off) or at least three heartbeats ({3 * heartbeat} s); " +
                $"it is {fence}.");
        return new NodeSettings(TimeSpan.FromSeconds(heartbeat), TimeSpan.FromSeconds(fence));
    }
}

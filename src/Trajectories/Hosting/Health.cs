
namespace Trajectories.Hosting;

/// <summary>One thing readiness looked at: whether it is fine, what was seen, in an operator's words.</summary>
public sealed record ReadyCheck(string Name, bool Ok, string Detail);

/// <summary>
/// <paramref name="Node"/>: the node that answered. <paramref name="DaemonNode"/>: the node holding the async daemon's
/// lock, as the database sees it (null: none). <paramref name="Nodes"/>: every node with a recent heartbeat.
/// </summary>
public sealed record Readiness(string Status, DateTimeOffset CheckedAt, IReadOnlyList<ReadyCheck> Checks,
    string Node, string? DaemonNode, IReadOnlyList<NodeBeat> Nodes);

/// <summary>A node's id, seconds since its last heartbeat, and when it was fenced (ADR 15), if it was.</summary>
public sealed record NodeBeat(string Id, double SilentSeconds, DateTimeOffset? FencedAt);

/// <summary>
/// Health for load balancers and operators. <c>/health/live</c> (and <c>/health</c>, its alias): the process answers.
/// <c>/health/ready</c>: the database answers; the async projections are no further behind the newest event than
/// <c>Health:MaxProjectionLagSeconds</c> (30; measured on the oldest event a projection has not processed, so it
/// counts for every node, whichever runs the daemon); no accepted event has waited to be applied longer than
/// <c>Health:StuckIngestMinutes</c> (10). Dead letters are reported, not judged: they need a person, not a restart.
/// A 503 names what is wrong. Nothing about a person is in either answer, so both need no credential.
/// </summary>
public static class Health
{
    public static void MapHealth(this WebApplication app)
    {
        app.MapGet("/health", Live).WithTags("Operations").WithSummary("Alias of /health/live");
        app.MapGet("/health/live", Live).WithTags("Operations").WithSummary("The process answers");
        app.MapGet("/health/ready", ReadyAsync).WithTags("Operations")
            .WithSummary("The database answers, projections caught up, no ingested event stuck")
            .Produces<Readiness>(200).Produces<Readiness>(503);
    }

    private static IResult Live() => Results.Ok(new { status = "ok" });

    private static async Task<IResult> ReadyAsync(ReadinessProbe probe, CancellationToken ct)
    {
        var (readiness, _) = await probe.CheckAsync(ct);
        return Results.Json(readiness, statusCode: readiness.Status == "ready"
            ? StatusCodes.Status200OK
            : StatusCodes.Status503ServiceUnavailable);
    }
}

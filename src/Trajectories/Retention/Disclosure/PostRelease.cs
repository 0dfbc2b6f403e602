using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Trajectories.Retention.Disclosure;

/// <param name="AsOf">The month end analysts' figures from it are as of (earlier dates: year ends).</param>
public sealed record ReleaseView(string Id, string Month, DateOnly AsOf, DateTimeOffset RecordedBy, int People)
{
    public static ReleaseView Of(AnalystRelease r) => new(r.Id, r.Month, r.AsOf(), r.CutAt, r.People);
}

/// <summary>
/// Analysts' releases (ADR 14), for admins: which one analysts see, and a new one cut now, for when a month's
/// release was cut before data finished arriving (a migration, a backlog of late records). Each release gives every
/// cell a new release part of its perturbation, so releases are few: one a month by default, more only by hand.
/// Admin only (no [Access] attribute).
/// </summary>
public static class ReleaseEndpoints
{
    [WolverineGet("/api/admin/releases/current",
        Summary = "The release analysts' answers come from"), Tags("Retention")]
    public static async Task<ReleaseView> Current(
        AnalystReleases releases, RetentionFactsCache cache, CancellationToken ct) =>
        ReleaseView.Of((await releases.CurrentAsync(cache.AllAsync, ct)).Release);

    /// <summary>201 with the new release; 200 with the newest one when nothing was recorded since it was cut.</summary>
    [WolverinePost("/api/admin/releases",
        Summary = "Cut the next release of recorded facts for analysts"), Tags("Retention")]
    [ProducesResponseType<ReleaseView>(201)]
    [ProducesResponseType<ReleaseView>(200)]
    public static async Task<IResult> Cut(AnalystReleases releases, RetentionFactsCache cache, CancellationToken ct)
    {
        var (release, cut) = await releases.CutNowAsync(cache.CurrentAsync, ct);
        return cut
            ? Results.Created("/api/admin/releases/current", ReleaseView.Of(release))
            : Results.Ok(ReleaseView.Of(release));
    }
}

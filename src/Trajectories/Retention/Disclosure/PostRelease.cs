using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Trajectories.Retention.Disclosure;

public sealed record ReleaseView(string Id, string Month, DateTimeOffset RecordedBy, int People)
{
    public static ReleaseView Of(AnalystRelease r) => new(r.Id, r.Month, r.CutAt, r.People);
}

/// <summary>
/// Analysts' releases (ADR 14), for admins: which one analysts see, and a new one cut now, for when a month's
/// release was cut before data finished arriving (a migration, a backlog of late records). Each release gives every
/// cell a new release part of its perturbation, so releases are few: one a month by default, more only by hand.
/// Admin only (no [Access] attribute).
/// </summary>
public static class ReleaseEndpoints
{
    [WolverineGet("/api/admin/releases/current"), Tags("Retention")]
    public static async Task<ReleaseView> Current(
        AnalystReleases releases, RetentionFactsCache cache, CancellationToken ct) =>
        ReleaseView.Of((await releases.CurrentAsync(cache.AllAsync, ct)).Release);

    [WolverinePost("/api/admin/releases"), Tags("Retention")]
    [ProducesResponseType<ReleaseView>(201)]
    public static async Task<IResult> Cut(AnalystReleases releases, RetentionFactsCache cache, CancellationToken ct)
    {
        var release = await releases.CutNowAsync(cache.AllAsync, ct);
        return Results.Created("/api/admin/releases/current", ReleaseView.Of(release));
    }
}

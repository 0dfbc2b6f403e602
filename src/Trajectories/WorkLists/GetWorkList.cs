using Marten;
using Microsoft.AspNetCore.Mvc;
using Trajectories.Careers;
using Trajectories.Ingestion;
using Trajectories.Retention;
using Trajectories.Retention.Facts;
using Wolverine.Http;

namespace Trajectories.WorkLists;

/// <summary>One person on a work list: who, the date that put them there, and why (for a list of two kinds).</summary>
public sealed record WorkItem(Guid Id, string Name, string State, DateOnly On, string? Why = null);

/// <summary>A list: how many people are on it, and the first of them (most urgent first).</summary>
public sealed record WorkListView(long Total, IReadOnlyList<WorkItem> Items);

public sealed record RejectedItem(
    Guid Id, string Source, string Type, string? Subject, string? Rule, DateTimeOffset ReceivedAt);

public sealed record RejectedList(long Total, IReadOnlyList<RejectedItem> Items);

/// <param name="ExpiringWithinDays">How far ahead "expiring" looks (query: withinDays, 60 by default).</param>
/// <param name="CertificationYears">How long a certification lasts where no renewal gave its expiry.</param>
public sealed record WorkList(
    DateOnly AsOf, int ExpiringWithinDays, int OverdueAfterMonths, int CertificationYears,
    WorkListView Expiring, WorkListView Lapsed, WorkListView Overdue, WorkListView Lost, RejectedList Rejected);

/// <summary>
/// What needs doing (issue 19, item 6), for staff and admins, over the people of the key's states: certifications
/// expiring within the next days and lapsed ones, people not heard from (no check-in) for six months, people lost to
/// follow-up, and ingested events refused for their states. From the retention facts (the async projection, a few
/// seconds behind the writes) and, for the names of those listed, their records. <c>state=</c> narrows it to one of
/// the key's states.
/// </summary>
public static class GetWorkListEndpoint
{
    public const int OverdueAfterMonths = 6;
    public const int MaxItems = 100;

    [WolverineGet("/api/worklist", Summary = "What needs doing: expiring certifications, overdue check-ins, …")]
    [Access(Roles.Staff), Tags("Specialists")]
    [ProducesResponseType<WorkList>(200)]
    public static async Task<IResult> Get(
        int? withinDays, string? state, HttpContext context, RetentionFactsCache cache, IQuerySession session,
        IConfiguration configuration, TimeProvider clock, CancellationToken ct)
    {
        if (withinDays is < 1 or > 365)
            return Rejection.BadRequest("out-of-range", "'withinDays' is a number of days from 1 to 365.",
                "withinDays").ToProblem();
        var within = withinDays ?? 60;
        var years = Math.Clamp(configuration.GetValue("WorkLists:CertificationYears", 2), 1, 10);
        var caller = Caller.From(context.User);
        // One state of the key's (state=OR), or all of them.
        var only = string.IsNullOrWhiteSpace(state) ? null : state.Trim().ToUpperInvariant();
        if (only is not null && !caller.Sees(only)) return Scope.OutOfScope(only, "state").ToProblem();
        var today = clock.Today();
        var people = (await cache.AllAsync(ct)).Where(f => only is null ? caller.Sees(f.State) : f.State == only)
            .ToList();
        IReadOnlyCollection<string>? states = only is not null ? [only] : caller.States?.ToList();

        DateOnly Expiry(RetentionFacts f) => f.CertificationExpiresOn ?? f.CertificationRenewedOn.AddYears(years);
        var expiring = people.Where(f => f.CertificationLapsedOn is null && Expiry(f) >= today
                && Expiry(f) <= today.AddDays(within))
            .Select(f => (f, On: Expiry(f))).OrderBy(x => x.On).ToList();
        // Lapsed: recorded so, or past the expiry with nothing recorded since (a hostile review found 1,971 of 2,000
        // demo people on no list: expired, never marked lapsed).
        var lapsed = people.Where(f => f.CertificationLapsedOn is not null || Expiry(f) < today)
            .Select(f => (f, On: f.CertificationLapsedOn ?? Expiry(f),
                Why: f.CertificationLapsedOn is null ? "expired" : "lapsed"))
            .OrderByDescending(x => x.On).ToList();
        var lost = people.Where(f => f.Statuses.Count > 0
                && f.Statuses[^1].Status == Vocabulary.Status.LostToFollowUp)
            .Select(f => (f, On: f.Statuses[^1].On)).OrderByDescending(x => x.On).ToList();
        // Not heard from: the last check-in (or, never checked in, the certification) six months ago or more; the
        // lost are on their own list.
        var lostIds = lost.Select(x => x.f.Id).ToHashSet();
        var overdue = people.Where(f => !lostIds.Contains(f.Id))
            .Select(f => (f, On: f.LastCheckInOn ?? f.CertifiedOn))
            .Where(x => x.On <= today.AddMonths(-OverdueAfterMonths)).OrderBy(x => x.On).ToList();

        var shown = new[] { expiring, overdue, lost }.SelectMany(l => l.Take(MaxItems)).Select(x => x.f.Id)
            .Concat(lapsed.Take(MaxItems).Select(x => x.f.Id)).Distinct().ToList();
        var records = (await session.LoadManyAsync<Specialist>(ct, shown)).ToDictionary(s => s.Id);
        WorkListView View(IEnumerable<(RetentionFacts f, DateOnly On, string? Why)> items)
        {
            var list = items.ToList();
            return new(list.Count, list.Take(MaxItems).Select(x => new WorkItem(x.f.Id,
                records.TryGetValue(x.f.Id, out var s) ? s.Name : "", x.f.State, x.On, x.Why)).ToList());
        }
        static IEnumerable<(RetentionFacts, DateOnly, string?)> Plain(List<(RetentionFacts f, DateOnly On)> list) =>
            list.Select(x => (x.f, x.On, (string?)null));

        var (rejected, total) = await IngestLog.RejectedAboutAsync(session, states,
            states is null ? [] : people.Select(f => $"id:{f.Id:D}").ToList(), 25, ct);
        return Results.Ok(new WorkList(today, within, OverdueAfterMonths, years, View(Plain(expiring)),
            View(lapsed), View(Plain(overdue)), View(Plain(lost)), new RejectedList(total, rejected.Select(r =>
                new RejectedItem(r.Id, r.Source, r.Type, r.Subject, r.Rule, r.ReceivedAt)).ToList())));
    }
}

using Microsoft.AspNetCore.Mvc;
using System.Text.Json;
using Marten;
using Trajectories.Careers;
using Wolverine;
using Wolverine.Http;

namespace Trajectories.Ingestion;

public sealed record RejectionView(
    Guid Id, string Source, string EventId, string Type, string? Subject, string? Rule, string? Detail, string Channel,
    DateTimeOffset ReceivedAt, DateTimeOffset? DecidedAt, int Attempts, JsonElement Payload);

public sealed record RejectionPage(IReadOnlyList<RejectionView> Items, int Page, int PageSize, long Total);

public sealed record RetryAccepted(Guid Id, string Status);

/// <summary>
/// What integrations do with the events the apply step refused: list them, and retry one once its cause is fixed.
/// </summary>
public static class RejectionsEndpoints
{
    /// <summary>An accepted event still pending after this long is stuck: its apply message was lost.</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Rejected events with their payload and reason, newest first; integrations see the ones they sent. With
    /// stuck=true, the events accepted more than ten minutes ago and still not applied (their apply message ended
    /// in the dead letters after its retries, for instance): a retry sends them again.
    /// </summary>
    [WolverineGet("/api/ingest/rejections",
        Summary = "Events the apply step refused, or accepted ones stuck")]
    [Access(Roles.Integration), Tags("Ingestion")]
    [ProducesResponseType<RejectionPage>(200)]
    public static async Task<IResult> Rejections(
        string? source, string? rule, int? page, int? pageSize, bool? stuck, HttpContext context,
        IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var errors = new RequestErrors();
        errors.Paging(page, pageSize, 200);
        if (errors.Any) return errors.AsRejection().ToProblem();

        var caller = Caller.From(context.User);
        var (items, total) = await IngestLog.RejectedAsync(session, caller.IsAdmin ? null : caller.RecordedBy,
            string.IsNullOrWhiteSpace(source) ? null : source, string.IsNullOrWhiteSpace(rule) ? null : rule,
            page ?? 1, pageSize ?? 50, ct, stuck == true ? clock.GetUtcNow() - StuckAfter : null);
        return Results.Ok(new RejectionPage(items.Select(View).ToList(), page ?? 1, pageSize ?? 50, total));
    }

    /// <summary>
    /// Applies a rejected event again, once its cause is fixed (e.g. the person now exists). 202: it is pending.
    /// </summary>
    [WolverinePost("/api/ingest/rejections/{id}/retry",
        Summary = "Retry a rejected event"), Access(Roles.Integration), Tags("Ingestion")]
    [ProducesResponseType<RetryAccepted>(202)]
    public static async Task<IResult> Retry(
        Guid id, HttpContext context, IDocumentSession session, IMessageBus bus, ApplyGroups groups,
        TimeProvider clock, CancellationToken ct)
    {
        var doc = await IngestLog.LoadAsync(session, id, ct);
        var caller = Caller.From(context.User);
        if (doc is null || (!caller.IsAdmin && doc.ReceivedBy != caller.RecordedBy))
            return Problems.NotFound("rejection-not-found", $"No rejected event has id {id}.");
        var stuck = doc.Status == IngestStatus.Pending && doc.ReceivedAt < clock.GetUtcNow() - StuckAfter;
        if (doc.Status != IngestStatus.Rejected && !stuck)
            return Rejection.Conflict("not-rejected", $"Event {id} is {doc.Status}; only rejected events are retried.")
                .ToProblem();
        doc.Status = IngestStatus.Pending;
        IngestLog.QueueOutcomes(session, [doc]);
        await groups.SendAsync(bus, [doc]);
        return Results.Json(new RetryAccepted(doc.Id, IngestStatus.Pending), statusCode: StatusCodes.Status202Accepted);
    }

    private static RejectionView View(IngestedEvent x)
    {
        using var payload = JsonDocument.Parse(x.Payload);
        return new RejectionView(x.Id, x.Source, x.EventId, x.Type, x.Subject, x.Rule, x.Detail, x.Channel,
            x.ReceivedAt, x.DecidedAt, x.Attempts, payload.RootElement.Clone());
    }
}

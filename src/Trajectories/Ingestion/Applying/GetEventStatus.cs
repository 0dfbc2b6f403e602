using Marten;
using Microsoft.AspNetCore.Mvc;
using Trajectories.Careers;
using Wolverine.Http;

namespace Trajectories.Ingestion;

/// <summary>
/// One event's outcome as the ingestion log knows it. Status is pending (accepted, not yet applied), applied, waiting
/// (rejected because its person is not certified yet, or held back behind earlier events about them not
/// applied yet: it is decided when they are) or rejected (with its rule).
/// </summary>
public sealed record EventStatusView(
    string Source, string Id, string Type, string Status, string? Rule, string? Detail, Guid? SpecialistId,
    DateTimeOffset ReceivedAt, DateTimeOffset? DecidedAt, int Attempts);

public static class GetEventStatusEndpoint
{
    public const string Waiting = "waiting";

    /// <summary>
    /// An integration looks up an event it sent by its CloudEvents source and id; another key's event, and one never
    /// received, are both 404, so a key learns nothing of what others send. Admins see every event.
    /// </summary>
    [WolverineGet("/api/ingest/events",
        Summary = "One sent event's status by its source and id"), Access(Roles.Integration), Tags("Ingestion")]
    [ProducesResponseType<EventStatusView>(200)]
    public static async Task<IResult> Get(string? source, string? id, HttpContext context, IQuerySession session,
        CancellationToken ct)
    {
        var errors = new RequestErrors();
        var s = errors.Required(source, "source", 512);
        var i = errors.Required(id, "id", 256);
        if (errors.Any) return errors.AsRejection().ToProblem();

        var found = await IngestLog.ByKeyAsync(session, IngestedEvent.KeyOf(s, i), ct);
        var caller = Caller.From(context.User);
        if (found is null || (!caller.IsAdmin && found.ReceivedBy != caller.RecordedBy))
            return Problems.NotFound("event-not-found",
                $"No event with source {s} and id {i} was received from this key.");
        var status = found is { Status: IngestStatus.Rejected, Rule: ApplyIngestedHandler.NotFound }
                     or { Status: IngestStatus.Pending, Rule: ApplyIngestedHandler.WaitsForEarlier }
            ? Waiting
            : found.Status;
        return Results.Ok(new EventStatusView(found.Source, found.EventId, found.Type, status, found.Rule, found.Detail,
            found.SpecialistId, found.ReceivedAt, found.DecidedAt, found.Attempts));
    }
}

using Microsoft.AspNetCore.Mvc;
using Marten;
using Trajectories.Careers;
using Wolverine;
using Wolverine.Http;

namespace Trajectories.Ingestion;

public sealed record IngestResponse(IReadOnlyList<IngestResult> Results);

public static class IngestEventsEndpoint
{
    /// <summary>
    /// One CloudEvent, in binary mode (ce- headers, the data as the body) or structured mode, or a batch (up to 1,000
    /// events, 1 MiB). 202 with a result per event, in order.
    /// </summary>
    [WolverinePost("/api/ingest/events",
        Summary = "Send CloudEvents (one, or a batch)"), Access(Roles.Integration), Tags("Ingestion")]
    [ProducesResponseType<IngestResponse>(202)]
    public static async Task<IResult> Post(
        HttpRequest request, IDocumentSession session, IMessageBus bus, ApplyGroups groups, CareerLadder ladder,
        ISourceBindings bindings, TimeProvider clock, CancellationToken ct)
    {
        List<CloudEvent> events;
        // Read whole (Kestrel stops at the body limit with a 413), then judged as every channel judges a message.
        using (var buffer = new MemoryStream())
        {
            await request.Body.CopyToAsync(buffer, ct);
            var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
            var (read, refusal) = CloudEvents.Read(CloudEventMessage.FromHttp(request, body));
            if (refusal is not null) return refusal.ToProblem();
            events = read!;
        }
        var correlation = CorrelationIds.Accepted(request.Headers[CorrelationIds.Header])
            ?? request.HttpContext.TraceIdentifier;
        var results = await Intake.AcceptAsync(session, bus, groups, events, Caller.From(request.HttpContext.User),
            ladder, "http", correlation, clock.GetUtcNow(), ct, bindings);
        return Results.Json(new IngestResponse(results), statusCode: StatusCodes.Status202Accepted);
    }
}

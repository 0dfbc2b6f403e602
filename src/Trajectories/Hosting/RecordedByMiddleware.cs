using Marten;
using Trajectories.Careers;

namespace Trajectories.Hosting;

/// <summary>
/// Stamps every write with who recorded it (Marten's user name: "key:&lt;key id&gt;" or "token:&lt;subject&gt;"), the
/// caller's role and channel (event headers) and a correlation id (X-Correlation-Id, else the request's trace id).
/// The web app announces itself with "X-Trajectories-Channel: web"; everything else over HTTP is "api".
/// </summary>
public static class RecordedByMiddleware
{
    public const string ChannelHeader = "X-Trajectories-Channel";

    public static void Before(HttpContext context, IDocumentSession session)
    {
        var caller = Caller.From(context.User);
        session.LastModifiedBy = caller.RecordedBy;
        session.SetHeader(RecordedHeaders.Role, caller.Role);
        session.SetHeader(RecordedHeaders.Channel,
            context.Request.Headers[ChannelHeader].ToString() == "web" ? "web" : "api");
        session.CorrelationId =
            CorrelationIds.Accepted(context.Request.Headers[CorrelationIds.Header]) ?? context.TraceIdentifier;
    }
}

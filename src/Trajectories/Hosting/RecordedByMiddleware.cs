using Marten;

namespace Trajectories.Hosting;

/// <summary>
/// Stamps every write with who recorded it and a correlation id (Marten event metadata). Until API keys land
/// (access-control issue) the recorder is whatever the client names in X-Recorded-By, else "api".
/// </summary>
public static class RecordedByMiddleware
{
    public static void Before(HttpContext context, IDocumentSession session)
    {
        var by = context.Request.Headers["X-Recorded-By"].ToString();
        session.LastModifiedBy = string.IsNullOrWhiteSpace(by) ? "api" : by.Trim()[..Math.Min(by.Trim().Length, 100)];
        var correlation = context.Request.Headers["X-Correlation-Id"].ToString();
        session.CorrelationId = string.IsNullOrWhiteSpace(correlation) ? context.TraceIdentifier : correlation[..Math.Min(correlation.Length, 100)];
    }
}

using Microsoft.AspNetCore.RateLimiting;
using Trajectories.Careers;
using Trajectories.Ingestion;

namespace Trajectories.Access;

/// <summary>
/// <c>Ingest:RequestsPerSecond</c> for the whole deployment: after this node's token bucket let a request through,
/// the key's requests of this second are counted across every node (<see cref="SharedWindows"/>), and one over the
/// rate is a 429 with Retry-After, as the bucket answers. The bucket stays first, so a flood from one key is refused
/// by its node without a database round trip.
/// </summary>
public sealed class SharedIngestLimit(RequestDelegate next, SharedWindows windows, int perSecond)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName ==
            IngestionConfiguration.RateLimitPolicy && context.User.FindFirst(Caller.KeyIdClaim)?.Value is { } key
            && await windows.CountAsync("ingest/s", key, TimeSpan.FromSeconds(1), 1, context.RequestAborted)
            > perSecond)
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = "1";
            return;
        }
        await next(context);
    }
}

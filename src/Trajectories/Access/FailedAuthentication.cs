using System.Net;
using System.Threading.RateLimiting;

namespace Trajectories.Access;

/// <summary>
/// Guessing keys is slowed down per client address: after Auth:FailedAttemptsPerMinute answers of 401 in a minute,
/// further unauthenticated requests from that address get 429 (with Retry-After) until the window ends. Callers with
/// a valid key are never held back by it. System.Threading.RateLimiting's partitioned fixed-window limiter counts.
/// </summary>
public sealed class FailedAuthentication(int perMinute)
{
    public PartitionedRateLimiter<IPAddress> Limiter { get; } = PartitionedRateLimiter.Create<IPAddress, IPAddress>(
        ip => RateLimitPartition.GetFixedWindowLimiter(ip, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, perMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
        }));
}

public sealed class FailedAuthenticationLimit(RequestDelegate next, FailedAuthentication failures)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var ip = context.Connection.RemoteIpAddress ?? IPAddress.None;
        // Only endpoints that need a key are held back: health checks and the API docs stay reachable.
        var needsKey = context.GetEndpoint()?.Metadata
            .GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is not null;
        if (needsKey && context.User.Identity?.IsAuthenticated != true)
        {
            // Zero permits asks "is any left?" without taking one.
            using var probe = failures.Limiter.AttemptAcquire(ip, 0);
            if (!probe.IsAcquired)
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = "60";
                return;
            }
        }
        await next(context);
        if (context.Response.StatusCode == StatusCodes.Status401Unauthorized)
            failures.Limiter.AttemptAcquire(ip, 1).Dispose();
    }
}

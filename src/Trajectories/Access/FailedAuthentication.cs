using System.Net;
using System.Threading.RateLimiting;

namespace Trajectories.Access;

/// <summary>
/// Guessing keys is slowed down per client address: after Auth:FailedAttemptsPerMinute answers of 401 in a minute,
/// further unauthenticated requests from that address get 429 (with Retry-After) until the window ends. Callers with
/// a valid key are never held back by it. System.Threading.RateLimiting's partitioned fixed-window limiter counts
/// this node's failures; <see cref="SharedWindows"/> counts every node's, so N nodes do not allow N times the limit.
/// </summary>
public sealed class FailedAuthentication(int perMinute)
{
    public PartitionedRateLimiter<IPAddress> Limiter { get; } = PartitionedRateLimiter.Create<IPAddress, IPAddress>(
        ip => RateLimitPartition.GetFixedWindowLimiter(ip, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, perMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
        }));
}

public sealed class FailedAuthenticationLimit(
    RequestDelegate next, FailedAuthentication failures, SharedWindows windows, AccessSettings settings)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public async Task InvokeAsync(HttpContext context)
    {
        var ip = context.Connection.RemoteIpAddress ?? IPAddress.None;
        // Only endpoints that need a key are held back: health checks and the API docs stay reachable.
        // So is signing in to the web app, which takes a key in its body.
        var metadata = context.GetEndpoint()?.Metadata;
        var signIn = metadata?.GetMetadata<CountsFailedKeys>() is not null;
        var needsKey = metadata?.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is not null;
        // Sign-in takes the key it tries from its body: a caller already holding a key (in a header) is held back
        // there too, or any key would make an unlimited guesser of other keys (a hostile review).
        if (signIn || needsKey && context.User.Identity?.IsAuthenticated != true)
        {
            // Zero permits asks "is any left?" without taking one: this node first (no database work for a flood),
            // then every node's failures from this address in this minute (issue 18: the limit was per node).
            using var probe = failures.Limiter.AttemptAcquire(ip, 0);
            if (!probe.IsAcquired || await windows.CountAsync("auth/min", ip.ToString(), Minute, 0,
                    context.RequestAborted) >= Math.Max(1, settings.FailedAttemptsPerMinute))
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = "60";
                return;
            }
        }
        await next(context);
        if (context.Response.StatusCode == StatusCodes.Status401Unauthorized
            && (signIn || PresentedCredential(context.Request)))
        {
            failures.Limiter.AttemptAcquire(ip, 1).Dispose();
            await windows.CountAsync("auth/min", ip.ToString(), Minute, 1, CancellationToken.None);
        }
    }

    /// <summary>
    /// Whether the request offered a credential (a key, a bearer token, a session cookie). A 401 without one is not a
    /// guess but "sign in first": the web app asks who is signed in each time it opens, and counting those would lock
    /// an office behind one address out of signing in after 20 opened tabs (a browser test found it). Sign-in itself,
    /// whose key is in the body, always counts.
    /// </summary>
    private static bool PresentedCredential(HttpRequest request) =>
        request.Headers.ContainsKey("X-Api-Key") || request.Headers.ContainsKey("Authorization")
        || request.Cookies.ContainsKey(SessionAuthentication.SecureCookie)
        || request.Cookies.ContainsKey(SessionAuthentication.PlainCookie);
}

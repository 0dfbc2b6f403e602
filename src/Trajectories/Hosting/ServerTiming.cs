using System.Diagnostics;

namespace Trajectories.Hosting;

/// <summary>
/// Adds `Server-Timing: app;dur=&lt;ms&gt;` to every response: the time the service spent before the response
/// started, which benchmarks read as the server-side latency (network and client excluded).
/// </summary>
public static class ServerTiming
{
    public static IApplicationBuilder UseServerTiming(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var started = Stopwatch.GetTimestamp();
        context.Response.OnStarting(() =>
        {
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            context.Response.Headers["Server-Timing"] =
                $"app;dur={ms.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}";
            return Task.CompletedTask;
        });
        await next();
    });
}

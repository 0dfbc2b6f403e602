using System.Diagnostics;

namespace Trajectories.Hosting;

/// <summary>
/// With Http:ServerTiming on (off by default; the benchmark turns it on), adds `Server-Timing: app;dur=&lt;ms&gt;` to
/// every response: the time the service spent before the response started, which benchmarks read as the server-side
/// latency. Off by default because the time tells a key apart a person it may not see (a document loaded, then
/// hidden) from one that does not exist.
/// </summary>
public static class ServerTiming
{
    public const string Setting = "Http:ServerTiming";

    public static IApplicationBuilder UseServerTiming(this WebApplication app) =>
        !app.Configuration.GetValue(Setting, false) ? app : app.Use(async (context, next) =>
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

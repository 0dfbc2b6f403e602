using JasperFx;
using JasperFx.Events;

namespace Trajectories.Retries;

/// <summary>
/// A command that lost an optimistic-concurrency race on its stream is decided again on the stream as it now is,
/// up to three times, before the caller hears 409 concurrent-write. So twenty identical hires with one job id sent
/// at once record one job and all answer as a retried hire does, whichever of them won.
/// </summary>
public sealed class ConcurrentWriteRetry(RequestDelegate next)
{
    public const int Attempts = 3;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await next(context);
            return;
        }
        context.Request.EnableBuffering();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await next(context);
                return;
            }
            catch (Exception e) when (attempt < Attempts && LostRace(e) && !context.Response.HasStarted)
            {
                context.Request.Body.Position = 0;
                context.Response.Clear();
                await Task.Delay(Random.Shared.Next(5, 25) * attempt, context.RequestAborted);
            }
        }
    }

    private static bool LostRace(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is ConcurrencyException or EventStreamUnexpectedMaxEventIdException) return true;
        return false;
    }
}

namespace Trajectories.Hosting.Telemetry;

/// <summary>
/// Takes the readiness figures every <c>Metrics:SampleSeconds</c> (15) for the gauges, so a scrape costs no database
/// work and many scrapers cost no more than one. Runs only when metrics are exported.
/// </summary>
public sealed class TelemetrySampler(
    ReadinessProbe probe, IConfiguration configuration, ILogger<TelemetrySampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Metrics:SampleSeconds", 15.0), 1, 300));
        using var timer = new PeriodicTimer(every);
        do
        {
            try
            {
                var (_, state) = await probe.CheckAsync(stoppingToken);
                TrajectoriesMetrics.Latest = state;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Sampling the metrics failed ({Type})", e.GetType().Name);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

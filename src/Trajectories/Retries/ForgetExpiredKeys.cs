namespace Trajectories.Retries;

/// <summary>
/// Deletes Idempotency-Keys past their time every ten minutes (an expired key is already treated as new).
/// </summary>
public sealed class ForgetExpiredKeys(IdempotencyKeys keys, ILogger<ForgetExpiredKeys> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(10));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var forgotten = await keys.ForgetExpiredAsync(stoppingToken);
                if (forgotten > 0) logger.LogInformation("Forgot {Count} expired idempotency keys", forgotten);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Forgetting expired idempotency keys failed: {Type}", e.GetType().Name);
            }
        }
    }
}

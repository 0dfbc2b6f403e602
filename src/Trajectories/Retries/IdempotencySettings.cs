using Trajectories.Careers;

namespace Trajectories.Retries;

/// <summary>
/// Http:IdempotencyKeyHours: how long an Idempotency-Key's first answer is kept for retries (default 24).
/// </summary>
public sealed record IdempotencySettings(TimeSpan KeepFor)
{
    public const int MaxHours = 24 * 30;

    /// <summary>
    /// A claimed key with no answer after this long belonged to a request that died before committing.
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    public static IdempotencySettings From(IConfiguration configuration)
    {
        var hours = configuration.GetValue("Http:IdempotencyKeyHours", 24);
        if (hours is < 1 or > MaxHours)
            throw new ConfigurationError($"Http:IdempotencyKeyHours must be between 1 and {MaxHours}; it is {hours}.");
        return new IdempotencySettings(TimeSpan.FromHours(hours));
    }
}

namespace Trajectories.Access;

/// <summary>The access and hardening settings with their defaults, read in one place (README, Configuration).</summary>
public sealed record AccessSettings(int FailedAttemptsPerMinute, int KeyCacheSeconds, long MaxRequestBodyBytes)
{
    public static AccessSettings From(IConfiguration configuration) => new(
        configuration.GetValue("Auth:FailedAttemptsPerMinute", 20),
        configuration.GetValue("Auth:KeyCacheSeconds", 5),
        configuration.GetValue<long>("Http:MaxRequestBodyBytes", 1024 * 1024));
}

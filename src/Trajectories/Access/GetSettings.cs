using Microsoft.Extensions.Options;
using Trajectories.Careers;
using Trajectories.Retention;
using Wolverine.Http;

namespace Trajectories.Access;

public sealed record SettingsView(
    int MinCellSize, int AnalystMinCellSize, int RetentionCacheRefreshMilliseconds, IReadOnlyList<string> Ladder,
    bool TokensAccepted, string? TokenAuthority, int FailedAttemptsPerMinute, int KeyCacheSeconds,
    bool BootstrapKeyConfigured, long MaxRequestBodyBytes);

/// <summary>
/// The settings in force, for admins checking a deployment (no admin attribute needed: endpoints without [Access]
/// are admin-only). Secrets are reported only as configured or not. Settings change through configuration and a restart.
/// </summary>
public static class GetSettingsEndpoint
{
    [WolverineGet("/api/admin/settings"), Tags("Access")]
    public static SettingsView Get(IOptions<PrivacyOptions> privacy, IConfiguration configuration, CareerLadder ladder) => new(
        privacy.Value.MinCellSize,
        privacy.Value.MinCellSizeFor(Roles.Analyst),
        configuration.GetValue("Retention:CacheRefreshMilliseconds", 1000),
        ladder.Tiers,
        TokenAuthentication.IsConfigured(configuration),
        configuration["Auth:Jwt:Authority"] ?? configuration["Auth:Jwt:Issuer"],
        configuration.GetValue("Auth:FailedAttemptsPerMinute", 20),
        configuration.GetValue("Auth:KeyCacheSeconds", 5),
        !string.IsNullOrWhiteSpace(configuration["Auth:BootstrapAdminKey"]),
        configuration.GetValue<long>("Http:MaxRequestBodyBytes", 1024 * 1024));
}

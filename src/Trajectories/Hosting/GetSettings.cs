using Microsoft.Extensions.Options;
using Trajectories.Access;
using Trajectories.Careers;
using Trajectories.Retention;
using Wolverine.Http;

namespace Trajectories.Hosting;

public sealed record SettingsView(
    int MinCellSize, int AnalystMinCellSize, int RetentionCacheRefreshMilliseconds, IReadOnlyList<string> Ladder,
    bool TokensAccepted, string? TokenAuthority, int FailedAttemptsPerMinute, int KeyCacheSeconds,
    bool BootstrapKeyConfigured, long MaxRequestBodyBytes, int IngestRequestsPerSecond, int IngestApplyPartitions,
    RabbitMqView RabbitMq, IReadOnlyList<string> WebhookAllowedOrigins);

/// <summary>
/// The RabbitMQ listener: on or off, where it listens; the URL (it holds a password) only as configured or not.
/// </summary>
public sealed record RabbitMqView(
    bool Enabled, string Queue, string DeadLetterQueue, IReadOnlyList<string> States, int Parallelism);

/// <summary>
/// The settings in force, for admins checking a deployment (no admin attribute needed: endpoints without [Access]
/// are admin-only). Secrets are reported only as configured or not. Settings change through configuration and a
/// restart.
/// </summary>
public static class GetSettingsEndpoint
{
    [WolverineGet("/api/admin/settings", Summary = "The settings in effect"), Tags("Access")]
    public static SettingsView Get(
        IOptions<PrivacyOptions> privacy, IOptions<RetentionCacheOptions> cache, AccessSettings access,
        IConfiguration configuration, CareerLadder ladder, Ingestion.RabbitMqIngestSettings rabbit,
        Ingestion.ApplyGroups groups, Ingestion.WebhookSettings webhook) => new(
        privacy.Value.MinCellSize,
        privacy.Value.MinCellSizeFor(Roles.Analyst),
        cache.Value.CacheRefreshMilliseconds,
        ladder.Tiers,
        TokenAuthentication.IsConfigured(configuration),
        configuration["Auth:Jwt:Authority"] ?? configuration["Auth:Jwt:Issuer"],
        access.FailedAttemptsPerMinute,
        access.KeyCacheSeconds,
        !string.IsNullOrWhiteSpace(configuration["Auth:BootstrapAdminKey"]),
        access.MaxRequestBodyBytes,
        configuration.GetValue("Ingest:RequestsPerSecond", 100),
        groups.Partitions,
        new RabbitMqView(rabbit.Enabled, rabbit.Queue, rabbit.DeadLetterQueueName, rabbit.States, rabbit.Parallelism),
        webhook.AllowedOrigins);
}

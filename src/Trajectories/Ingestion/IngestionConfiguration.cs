using System.Threading.RateLimiting;
using Marten;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Http;
using Trajectories.Careers;

namespace Trajectories.Ingestion;

public static class IngestionConfiguration
{
    public const string RateLimitPolicy = "ingestion";
    public const string Queue = "ingest";

    public static WebApplicationBuilder AddIngestion(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var rabbit = configuration.GetSection(RabbitMqIngestSettings.Section).Get<RabbitMqIngestSettings>() ?? new();
        builder.Services.AddSingleton(rabbit);
        var applyGroups = ApplyGroups.From(configuration);
        builder.Services.AddSingleton(applyGroups);
        builder.Services.AddHostedService<WakeWaitingEvents>();
        builder.Services.ConfigureWolverine(opts =>
        {
            ConfigureQueue(opts, applyGroups);
            RabbitMqIngestion.Configure(opts, rabbit);
        });
        builder.Services.ConfigureMarten(opts =>
        {
            // The ingestion log (IngestLog): a plain table, its unique key the idempotency reservation.
            opts.Storage.ExtendedSchemaObjects.Add(IngestLog.Table(opts.DatabaseSchemaName));
        });

        // Requests per second per caller (key id or token subject): a token bucket, Ingest:RequestsPerSecond
        // (default 100).
        var perSecond = configuration.GetValue("Ingest:RequestsPerSecond", 100);
        // The webhook handshake grants senders the same rate (per key, per minute).
        builder.Services.AddSingleton(WebhookSettings.From(configuration, perSecond));
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(RateLimitPolicy, context => RateLimitPartition.GetTokenBucketLimiter(
                context.User.FindFirst(Caller.KeyIdClaim)?.Value ?? "anonymous",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, perSecond * 2), TokensPerPeriod = Math.Max(1, perSecond),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0, AutoReplenishment = true,
                }));
        });

        return builder;
    }

    /// <summary>
    /// The token bucket above on the one endpoint that takes events (the other ingestion endpoints are reads and
    /// retries).
    /// </summary>
    public static void LimitIngestionRate(this WolverineHttpOptions opts) => opts.ConfigureEndpoints(chain =>
    {
        if (chain.Method.HandlerType == typeof(IngestEventsEndpoint))
            chain.RequireRateLimiting(RateLimitPolicy);
    });

    /// <summary>
    /// The apply queue: durable (stored with the accepting transaction) and ordered per group: messages carry the
    /// group of the people they are about (<see cref="ApplyGroups"/>), one group is applied in order, different groups
    /// side by side.
    /// </summary>
    public static void ConfigureQueue(WolverineOptions opts, ApplyGroups groups)
    {
        var queue = opts.LocalQueue(Queue).UseDurableInbox();
        if (groups.Partitions == 1) queue.Sequential();
        else queue.PartitionProcessingByGroupId(groups.Slots);
        opts.PublishMessage<ApplyIngested>().ToLocalQueue(Queue);
        // A staff write to the same stream between our read and our commit: read again and redo the batch.
        opts.Policies.OnException<JasperFx.ConcurrencyException>()
            .Or<JasperFx.Events.EventStreamUnexpectedMaxEventIdException>()
            .RetryWithCooldown(
                TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500),
                TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }
}

using System.Threading.RateLimiting;
using Marten;
using Weasel.Postgresql.Tables;
using Wolverine;
using Wolverine.ErrorHandling;

namespace Trajectories.Ingestion;

public static class IngestionConfiguration
{
    public const string RateLimitPolicy = "ingestion";
    public const string Queue = "ingest";

    public static WebApplicationBuilder AddIngestion(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.ConfigureMarten(opts =>
        {
            opts.Schema.For<IngestedEvent>().Index(x => x.Status).Index(x => x.ReceivedBy).Index(x => x.SubjectKey);
            // The idempotency keys: one row per (source, id) ever accepted, reserved inside the accepting transaction.
            var keys = new Table($"{opts.DatabaseSchemaName}.{Intake.KeysTable}");
            keys.AddColumn<string>("key").AsPrimaryKey();
            keys.AddColumn<Guid>("ingested_id").NotNull();
            opts.Storage.ExtendedSchemaObjects.Add(keys);
        });

        // Requests per second per caller (key id or token subject): a token bucket, Ingest:RequestsPerSecond (default 100).
        var perSecond = configuration.GetValue("Ingest:RequestsPerSecond", 100);
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(RateLimitPolicy, context => RateLimitPartition.GetTokenBucketLimiter(
                context.User.FindFirst(Access.Caller.KeyIdClaim)?.Value ?? "anonymous",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, perSecond * 2), TokensPerPeriod = Math.Max(1, perSecond),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0, AutoReplenishment = true,
                }));
        });

        return builder;
    }

    /// <summary>Durable (stored with the accepting transaction) and sequential (events apply in acceptance order).</summary>
    public static void ConfigureQueue(WolverineOptions opts)
    {
        opts.LocalQueue(Queue).Sequential().UseDurableInbox();
        opts.PublishMessage<ApplyIngested>().ToLocalQueue(Queue);
        // A staff write to the same stream between our read and our commit: read again and redo the batch.
        opts.Policies.OnException<JasperFx.ConcurrencyException>()
            .Or<JasperFx.Events.EventStreamUnexpectedMaxEventIdException>()
            .RetryWithCooldown(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }
}

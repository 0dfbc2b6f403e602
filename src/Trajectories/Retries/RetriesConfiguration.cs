using Marten;

namespace Trajectories.Retries;

public static class RetriesConfiguration
{
    /// <summary>
    /// Idempotency-Key support (its table, settings, the listener that marks keys committed) and clean-up.
    /// </summary>
    public static WebApplicationBuilder AddRetries(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(IdempotencySettings.From(builder.Configuration));
        // The listener finds the request through IHttpContextAccessor, which ASP.NET fills only when it is registered.
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<IdempotencyKeys>();
        builder.Services.AddHostedService<ForgetExpiredKeys>();
        builder.Services.ConfigureMarten(opts =>
        {
            opts.Storage.ExtendedSchemaObjects.Add(IdempotencyKeys.Table(opts.DatabaseSchemaName));
            opts.Listeners.Add(new IdempotencyListener(opts.DatabaseSchemaName));
        });
        return builder;
    }

    /// <summary>After authentication and authorization (keys belong to a caller), before the endpoints.</summary>
    public static WebApplication UseRetries(this WebApplication app)
    {
        app.UseMiddleware<IdempotencyMiddleware>();
        app.UseMiddleware<ConcurrentWriteRetry>();
        return app;
    }
}

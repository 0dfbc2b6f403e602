using JasperFx.Events.Projections;
using Marten;
using Trajectories.Retention.Facts;

namespace Trajectories.Retention;

public static class RetentionConfiguration
{
    /// <summary>Retention facts (an async projection) and the privacy setting of the analyst endpoints.</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PrivacyOptions>(configuration.GetSection("Privacy"));
        services.Configure<RetentionCacheOptions>(configuration.GetSection("Retention"));
        services.AddSingleton<RetentionFactsCache>();
        services.AddSingleton<Disclosure.RecordKeys>();
        services.AddSingleton<Disclosure.AnalystReleases>();
        services.AddSingleton<Models.ModelGate>();
        services.AddHostedService<RetentionCacheWarmer>();
        services.ConfigureMarten(opts =>
        {
            opts.Projections.Add<RetentionFactsProjection>(ProjectionLifecycle.Async);
            opts.Schema.For<RetentionFacts>().Metadata(m => m.LastModified.MapTo(x => x.LastModified));
            // The cell-key secret (Disclosure.RecordKeys): one row, created on first use.
            opts.Schema.For<Disclosure.CellKeySecret>().Identity(x => x.Id);
            // Releases of recorded facts for analysts (ADR 14): a few rows a month, and their facts in chunks.
            opts.Schema.For<Disclosure.AnalystRelease>().Identity(x => x.Id).Index(x => x.Month);
            opts.Schema.For<Disclosure.AnalystReleaseChunk>().Identity(x => x.Id).Index(x => x.ReleaseId);
        });
        return services;
    }
}

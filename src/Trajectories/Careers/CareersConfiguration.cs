using JasperFx.Events.Projections;
using Marten;
using Marten.Schema;

namespace Trajectories.Careers;

public static class CareersConfiguration
{
    /// <summary>The career stream: its inline snapshot, indexes for the list and uniqueness, and the ladder.</summary>
    public static IServiceCollection AddCareers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new CareerLadder(configuration.GetSection("Careers:Ladder").Get<string[]>()));
        services.ConfigureMarten(opts =>
        {
            // Inline: the snapshot is written in the same transaction as the events, so a read right after a write
            // sees it.
            opts.Projections.Add<SpecialistProjection>(ProjectionLifecycle.Inline);
            opts.Schema.For<Specialist>()
                .UniqueIndex(UniqueIndexType.Computed, "uq_specialist_state_certification",
                    x => x.State, x => x.CertificationNumber)
                .Index(x => x.Status)
                .Index(x => x.State);
        });
        return services;
    }
}

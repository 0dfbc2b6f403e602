using Marten;

namespace Trajectories.Hosting.Nodes;

public static class NodesConfiguration
{
    /// <summary>This node's identity, its heartbeat and the fencing of silent nodes (ADR 15).</summary>
    public static WebApplicationBuilder AddNodes(
        this WebApplicationBuilder builder, NodeIdentity identity, NodeSettings settings)
    {
        builder.Services.AddSingleton(identity);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<ServiceNodes>();
        builder.Services.AddHostedService<NodeWatch>();
        builder.Services.ConfigureMarten(opts =>
            opts.Storage.ExtendedSchemaObjects.Add(ServiceNodes.Table(opts.DatabaseSchemaName)));
        return builder;
    }
}

using JasperFx.CodeGeneration;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten;
using Weasel.Core;
using Trajectories.Careers;
using Trajectories.Hosting.Nodes;
using Trajectories.Hosting.Telemetry;
using Wolverine;
using Wolverine.Marten;

namespace Trajectories.Hosting;

public static class StoreConfiguration
{
    /// <summary>
    /// Marten (events and documents) and Wolverine (handlers, transactions, durable messaging) on one PostgreSQL.
    /// </summary>
    public static WebApplicationBuilder AddTrajectoriesStore(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Marten");
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(
                "No database configured: set ConnectionStrings__Marten (or ConnectionStrings:Marten in appsettings), " +
                "or start with `make run`, which starts a local PostgreSQL.");

        builder.Services.AddSingleton(TimeProvider.System);
        // Every session of this node is tagged with its id, so another node can fence it if it freezes (ADR 15).
        var node = new NodeIdentity(builder.Configuration);
        var nodes = NodeSettings.From(builder.Configuration);
        builder.AddNodes(node, nodes);
        builder.AddTelemetry(node);
        builder.Services.AddMarten(opts =>
            {
                opts.Connection(node.Tag(connectionString));
                opts.DatabaseSchemaName = builder.Configuration["Marten:Schema"] ?? "trajectories";
                opts.UseSystemTextJsonForSerialization(
                    EnumStorage.AsString, Casing.CamelCase, o => CareerJson.Configure(o));
                opts.Events.MetadataConfig.UserNameEnabled = true;
                opts.Events.MetadataConfig.CorrelationIdEnabled = true;
                opts.Events.MetadataConfig.CausationIdEnabled = true;
                opts.Events.MetadataConfig.HeadersEnabled = true;
                // Rich appends: the inline Specialist snapshot keeps each event's id, version and timestamp, which
                // Marten 9's default Quick mode only assigns in the database, after inline projections ran
                // (docs/adr/0004-inline-snapshot-with-history.md).
                opts.Events.AppendMode = EventAppendMode.Rich;
                // HotCold leadership is a session advisory lock: a killed node's connection closes, the lock goes
                // with it, and another node takes the daemon at its next poll (docs/adr/0012-packages-and-daemon.md).
                opts.Projections.LeadershipPollingTime = 2_000;
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            // One node runs the async daemon, chosen by Marten's advisory lock (ADR 12); Projections:Daemon=off makes
            // a node that never runs it (one that only serves, or a test of what readiness says when none does).
            .AddAsyncDaemon(string.Equals(builder.Configuration["Projections:Daemon"], "off",
                StringComparison.OrdinalIgnoreCase) ? DaemonMode.Disabled : DaemonMode.HotCold)
            .IntegrateWithWolverine();

        // Failures are logged without their SQL parameters, which hold names and notes (ADR 9).
        builder.Services.ConfigureMarten((services, opts) =>
            opts.Logger(new SafeMartenLogger(services.GetRequiredService<ILogger<SafeMartenLogger>>())));
        builder.Host.UseWolverine(opts =>
        {
            opts.UseRuntimeCompilation();
            opts.Policies.AutoApplyTransactions();
            // Handlers and endpoints are generated ahead of time (`make codegen` writes src/Trajectories/Internal/
            // Generated, compiled into the assembly; a test fails when it is stale): a new node serves its first
            // request without compiling (issue 18 measured 1.6 s for the first registration with dynamic code).
            opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Static;
            // A node silent for Nodes:FenceAfterSeconds is fenced (NodeWatch) and, as Wolverine sees it, stale: its
            // durable inbox (accepted events not yet applied) is released to the live nodes within seconds rather
            // than Wolverine's default minute (ADR 15; issue 18 measured 74-81 s before).
            opts.Durability.HealthCheckPollingTime = TimeSpan.FromSeconds(2);
            opts.Durability.StaleNodeTimeout = nodes.Fencing ? nodes.FenceAfter : TimeSpan.FromSeconds(10);
            opts.Durability.NodeReassignmentPollingTime = TimeSpan.FromSeconds(2);
        });
        return builder;
    }
}

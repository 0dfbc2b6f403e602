using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Trajectories.Hosting.Nodes;

namespace Trajectories.Hosting.Telemetry;

/// <summary>
/// OpenTelemetry metrics and traces. <c>Metrics:Prometheus=true</c> serves the metrics at <c>/metrics</c> (Prometheus
/// text format, no credential: like /health it says nothing about a person). An OTLP collector given by the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> receives metrics and traces. With neither, nothing is collected.
/// </summary>
public static class TelemetryConfiguration
{
    public static bool PrometheusEnabled(IConfiguration configuration) =>
        configuration.GetValue("Metrics:Prometheus", false);

    private static bool OtlpEnabled(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder, NodeIdentity node)
    {
        var prometheus = PrometheusEnabled(builder.Configuration);
        var otlp = OtlpEnabled(builder.Configuration);
        builder.Services.AddSingleton<ReadinessProbe>();
        if (!prometheus && !otlp) return builder;
        builder.Services.AddHostedService<TelemetrySampler>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("trajectories", serviceInstanceId: node.Id))
            .WithMetrics(m =>
            {
                m.AddMeter(TrajectoriesMetrics.MeterName, Ingestion.IngestMetrics.MeterName, "Marten", "Wolverine*",
                    "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel",
                    "Microsoft.AspNetCore.RateLimiting");
                m.AddRuntimeInstrumentation();
                if (prometheus) m.AddPrometheusExporter();
                if (otlp) m.AddOtlpExporter();
            });
        if (otlp)
            builder.Services.AddOpenTelemetry().WithTracing(t => t
                .AddSource("Wolverine", "Marten")
                .AddAspNetCoreInstrumentation(o =>
                {
                    // The path holds people's ids (/api/specialists/{id}): a trace names the route, not the person.
                    o.EnrichWithHttpResponse = (activity, response) =>
                    {
                        var route = (response.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
                        activity.SetTag("url.path", route ?? "(unrouted)");
                        activity.DisplayName = $"{response.HttpContext.Request.Method} {route ?? "(unrouted)"}";
                    };
                })
                .AddOtlpExporter());
        return builder;
    }

    public static WebApplication MapTelemetry(this WebApplication app)
    {
        if (PrometheusEnabled(app.Configuration))
            app.MapPrometheusScrapingEndpoint("/metrics").WithTags("Operations")
                .WithSummary("Metrics in Prometheus format (Metrics:Prometheus=true)");
        return app;
    }
}

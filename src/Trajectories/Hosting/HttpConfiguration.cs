using Trajectories.Hosting.Telemetry;
using Microsoft.AspNetCore.Http.Json;
using Trajectories.Access;
using Trajectories.Careers;
using Trajectories.Ingestion;
using Trajectories.Retries;
using Trajectories.Web;
using Wolverine.Http;

namespace Trajectories.Hosting;

public static class HttpConfiguration
{
    public static WebApplicationBuilder AddTrajectoriesHttp(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<JsonOptions>(o => CareerJson.Configure(o.SerializerOptions));
        // Problems written by the framework (unreadable JSON, unknown route or stream, wrong media type) get a rule
        // too.
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var problem = ctx.ProblemDetails;
            if (problem.Extensions.ContainsKey("rule")) return;
            var rule = problem.Status switch
            {
                400 => "malformed-request",
                401 => "unauthenticated",
                403 => "forbidden",
                429 => "rate-limited",
                404 => ctx.HttpContext.Request.Path.StartsWithSegments("/api/specialists")
                    ? "specialist-not-found"
                    : "not-found",
                405 => "method-not-allowed",
                413 => "request-too-large",
                415 => "unsupported-media-type",
                _ => null,
            };
            if (problem.Detail is { } detail && problem.Status == 400) problem.Detail = PlainWords.For(detail);
            if (rule is null) return;
            problem.Extensions["rule"] = rule;
            problem.Type = Problems.TypeBase + rule;
            problem.Detail ??= rule switch
            {
                "unauthenticated" =>
                    "Send an API key as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'; " +
                    "this one is missing, unknown or revoked.",
                "forbidden" => "This key's role may not use this endpoint.",
                "rate-limited" => "Too many requests; wait and retry (see Retry-After).",
                _ => null,
            };
        });
        builder.Services.AddExceptionHandler<ExceptionProblems>();
        builder.Services.AddOpenApi(options =>
        {
            NumbersAreNumbers.Add(options);
            ApiSecurity.Add(options);
            ApiDocuments.Add(options);   // after ApiSecurity: its 401 and 403 get the problem schema too
        });
        builder.Services.AddWolverineHttp();
        return builder;
    }

    public static WebApplication UseTrajectoriesHttp(this WebApplication app)
    {
        app.UseServerTiming();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseTrajectoriesAccess();
        app.UseQueryGuard();
        app.UseRetries();
        app.UseTrajectoriesWeb();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "Trajectories API v1");
            o.RoutePrefix = "docs";
        });
        app.MapHealth();
        app.MapSessions();
        app.MapTelemetry();
        app.MapWebhookHandshake();
        app.MapWolverineEndpoints(opts =>
        {
            // '?page=abc' is a 400, not a silent page 0 (Wolverine 6's default; 7 flips it).
            opts.RejectUnparseableQueryValues = true;
            opts.RequireDeclaredAccess();
            opts.LimitIngestionRate();
            opts.AddMiddleware(typeof(ScopeMiddleware),
                chain => chain.Method.Method.GetParameters().Any(p => p.ParameterType == typeof(Specialist)));
            opts.AddMiddleware(typeof(RecordedByMiddleware), chain => chain.HttpMethods.Contains("POST"));
        });
        return app;
    }
}

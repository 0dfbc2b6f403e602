using Microsoft.AspNetCore.Http.Json;
using Trajectories.Careers;
using Trajectories.Http;
using Wolverine.Http;

namespace Trajectories.Hosting;

public static class HttpConfiguration
{
    public static WebApplicationBuilder AddTrajectoriesHttp(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<JsonOptions>(o => CareerJson.Configure(o.SerializerOptions));
        // Problems written by the framework (unreadable JSON, unknown route or stream, wrong media type) get a rule too.
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var problem = ctx.ProblemDetails;
            if (problem.Extensions.ContainsKey("rule")) return;
            var rule = problem.Status switch
            {
                400 => "malformed-request",
                404 => ctx.HttpContext.Request.Path.StartsWithSegments("/api/specialists") ? "specialist-not-found" : "not-found",
                405 => "method-not-allowed",
                413 => "request-too-large",
                415 => "unsupported-media-type",
                _ => null,
            };
            if (rule is null) return;
            problem.Extensions["rule"] = rule;
            problem.Type = Problems.TypeBase + rule;
        });
        builder.Services.AddExceptionHandler<ExceptionProblems>();
        builder.Services.AddOpenApi();
        builder.Services.AddWolverineHttp();
        return builder;
    }

    public static WebApplication UseTrajectoriesHttp(this WebApplication app)
    {
        app.UseServerTiming();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "Trajectories API v1");
            o.RoutePrefix = "docs";
        });
        app.MapGet("/health", () => Results.Ok(new { status = "ok" })).WithTags("Operations");
        app.MapWolverineEndpoints(opts =>
        {
            // '?page=abc' is a 400, not a silent page 0 (Wolverine 6's default; 7 flips it).
            opts.RejectUnparseableQueryValues = true;
            opts.AddMiddleware(typeof(RecordedByMiddleware), chain => chain.HttpMethods.Contains("POST"));
        });
        return app;
    }
}

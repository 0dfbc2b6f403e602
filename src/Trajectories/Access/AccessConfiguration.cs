using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Trajectories.Careers;

using Trajectories.Ingestion;

namespace Trajectories.Access;

/// <summary>
/// Authentication (API keys, optionally JWT bearer tokens), per-endpoint roles, and the hardening around them.
/// </summary>
public static class AccessConfiguration
{
    public const string PolicyScheme = "Trajectories";

    public static WebApplicationBuilder AddTrajectoriesAccess(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<Ingestion.ISourceBindings, KeySourceBindings>();
        builder.Services.AddSingleton<Careers.Reading.IRecorderNames, RecorderNames>();
        builder.Services.AddHostedService<BootstrapAdminKey>();
        builder.Services.ConfigureMarten(opts =>
        {
            opts.Schema.For<ApiKey>().UniqueIndex(x => x.Hash);
            opts.Schema.For<WebSession>().Identity(x => x.Id).Index(x => x.KeyId);
            Erasure.AddMaskingRules(opts);
        });

        var jwt = TokenAuthentication.IsConfigured(configuration);
        var auth = builder.Services.AddAuthentication(PolicyScheme)
            .AddPolicyScheme(PolicyScheme, "API key, bearer token or session", o => o.ForwardDefaultSelector =
                context =>
                {
                    // A key or token in the headers wins; the web app's cookie counts only without one.
                    var presented = ApiKeyAuthentication.Presented(context.Request);
                    if (presented is null && SessionAuthentication.Token(context.Request) is not null)
                        return SessionAuthentication.SchemeName;
                    return jwt && TokenAuthentication.LooksLikeJwt(presented)
                        ? TokenAuthentication.Scheme
                        : ApiKeyAuthentication.SchemeName;
                })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, SessionAuthentication>(SessionAuthentication.SchemeName, null);
        if (jwt) auth.AddJwtBearer(TokenAuthentication.Scheme, o => TokenAuthentication.Configure(o, configuration));
        builder.Services.AddAuthorization();

        var settings = AccessSettings.From(configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new FailedAuthentication(settings.FailedAttemptsPerMinute));
        builder.Services.AddSingleton<SharedWindows>();
        builder.Services.AddSingleton(SessionSettings.From(configuration));
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddHostedService<ForgetEndedSessions>();

        // Bodies above 1 MiB are refused while being read (413); ingestion batches are limited to the same size.
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes;
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            k.AddServerHeader = false;
        });
        return builder;
    }

    /// <summary>Each Wolverine endpoint gets the roles its [Access] attribute names (admin-only without one).</summary>
    public static void RequireDeclaredAccess(this WolverineHttpOptions opts) => opts.ConfigureEndpoints(chain =>
    {
        var method = chain.Method.Method;
        var access = method.GetCustomAttributes(typeof(AccessAttribute), false).Cast<AccessAttribute>()
            .FirstOrDefault();
        var roles = (access?.Roles ?? []).Append(Roles.Admin).Distinct();
        chain.RequireAuthorization(
            new AuthorizeAttribute { Roles = string.Join(",", roles), AuthenticationSchemes = PolicyScheme });
    });

    public static WebApplication UseTrajectoriesAccess(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseAuthentication();
        app.UseMiddleware<CsrfCheck>();
        app.UseMiddleware<FailedAuthenticationLimit>();
        app.UseAuthorization();
        app.UseRateLimiter();
        // After the token bucket: the same rate counted across every node (issue 18).
        app.UseMiddleware<SharedIngestLimit>(app.Configuration.GetValue("Ingest:RequestsPerSecond", 100));
        return app;
    }
}

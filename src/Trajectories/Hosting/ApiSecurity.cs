using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Trajectories.Hosting;

/// <summary>
/// How to call the API, in the document (issue 19, item 11): the three ways to present a caller (a bearer key or
/// token, the X-Api-Key header, the web app's session cookie), required on every operation that needs a caller, with
/// the 401 and 403 those answer; /docs then has an Authorize button and "Try it out" works.
/// </summary>
public static class ApiSecurity
{
    private static readonly string[] Schemes = ["bearer", "apiKey", "session"];

    public static void Add(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer",
                Description = "An API key (trj_..., from `make key` or POST /api/keys) or, where configured, a JWT.",
            };
            document.Components.SecuritySchemes["apiKey"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-Api-Key",
                Description = "The same API key in a header of its own.",
            };
            document.Components.SecuritySchemes["session"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Cookie, Name = "trajectories-session",
                Description = "The web app's session (POST /api/session; __Host-trajectories-session on HTTPS). " +
                              "Writes made with it also send X-CSRF-Token.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (!metadata.OfType<IAuthorizeData>().Any() || metadata.OfType<IAllowAnonymous>().Any())
                return Task.CompletedTask;
            operation.Security ??= [];
            foreach (var scheme in Schemes)
                operation.Security.Add(new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [],
                });
            operation.Responses ??= new OpenApiResponses();
            operation.Responses.TryAdd("401", new OpenApiResponse
            {
                Description = "No valid key, token or session (problem details)",
            });
            operation.Responses.TryAdd("403", new OpenApiResponse
            {
                Description = "The caller's role or states do not allow it (problem details)",
            });
            return Task.CompletedTask;
        });
    }
}

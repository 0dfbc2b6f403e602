using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Trajectories.Careers;

namespace Trajectories.Access;

/// <summary>
/// API keys from "Authorization: Bearer &lt;key&gt;" or "X-Api-Key: &lt;key&gt;". A missing key is "no result" (the
/// endpoint's policy then answers 401); a wrong or revoked key fails. The key never reaches a log.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    public static string? Presented(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        var apiKey = request.Headers["X-Api-Key"].ToString().Trim();
        return apiKey.Length > 0 ? apiKey : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Presented(Request);
        if (presented is null) return AuthenticateResult.NoResult();
        // Our keys are 47 characters; anything far longer is not worth hashing.
        if (presented.Length is 0 or > 200) return AuthenticateResult.Fail("invalid key");
        var key = await keys.FindActiveAsync(presented, Context.RequestAborted);
        if (key is null) return AuthenticateResult.Fail("unknown or revoked key");
        var identity = Caller.Identity(key.Id.ToString(), key.Role, key.States, "key", SchemeName);
        return AuthenticateResult.Success(
            new AuthenticationTicket(new System.Security.Claims.ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"trajectories\"";
        return Task.CompletedTask;
    }
}

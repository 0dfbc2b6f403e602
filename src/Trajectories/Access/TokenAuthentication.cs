using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Trajectories.Careers;

namespace Trajectories.Access;

/// <summary>
/// OpenID Connect JWT bearer tokens for organisations with an identity provider (Auth:Jwt). The token's role claim
/// (Auth:Jwt:RoleClaim, default "role") must name one of our roles; its states claim (Auth:Jwt:StatesClaim, default
/// "states", one claim per state or a space/comma separated list) scopes it like a key's states.
/// Either Auth:Jwt:Authority (keys from the provider's discovery document) or Auth:Jwt:Issuer with
/// Auth:Jwt:SigningKeyPem (a PEM public key, for providers without discovery and for tests).
/// </summary>
public static class TokenAuthentication
{
    public const string Scheme = "Jwt";

    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["Auth:Jwt:Authority"])
        || !string.IsNullOrWhiteSpace(configuration["Auth:Jwt:SigningKeyPem"]);

    /// <summary>A compact JWT has three dot-separated parts; our keys have no dots.</summary>
    public static bool LooksLikeJwt(string? bearer) => bearer is not null && bearer.Count(c => c == '.') == 2;

    public static void Configure(JwtBearerOptions o, IConfiguration configuration)
    {
        var section = configuration.GetSection("Auth:Jwt");
        o.MapInboundClaims = false;
        o.Authority = section["Authority"] is { Length: > 0 } authority ? authority : null;
        o.RequireHttpsMetadata = section.GetValue("RequireHttpsMetadata", true);
        o.Audience = section["Audience"];
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateAudience = !string.IsNullOrWhiteSpace(section["Audience"]),
            ValidAudience = section["Audience"],
            ValidateIssuer = true,
            ValidIssuer = section["Issuer"] is { Length: > 0 } issuer ? issuer : section["Authority"],
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromMinutes(1),
        };
        if (section["SigningKeyPem"] is { Length: > 0 } pem)
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(File.Exists(pem) ? File.ReadAllText(pem) : pem);
            o.TokenValidationParameters.IssuerSigningKey = new RsaSecurityKey(rsa);
        }

        var roleClaim = section["RoleClaim"] is { Length: > 0 } r ? r : "role";
        var statesClaim = section["StatesClaim"] is { Length: > 0 } s ? s : "states";
        o.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                var principal = context.Principal!;
                var subject = principal.FindFirstValue("sub");
                var roles = principal.FindAll(roleClaim).Select(c => c.Value).Where(Roles.All.Contains)
                    .Distinct().ToList();
                // Exactly one of our roles: rights of several roles are never merged.
                var role = roles.Count == 1 ? roles[0] : null;
                if (subject is null || role is null)
                {
                    context.Fail(
                        $"token needs a subject and exactly one role claim '{roleClaim}' naming one of: " +
                        $"{string.Join(", ", Roles.All)}");
                    return Task.CompletedTask;
                }
                var states = principal.FindAll(statesClaim)
                    .SelectMany(c => c.Value.Split(
                        [' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Select(x => x.ToUpperInvariant()).Distinct().ToList();
                if (role != Roles.Admin && states.Count == 0 && section.GetValue("RequireStates", false))
                {
                    context.Fail("token has no states claim");
                    return Task.CompletedTask;
                }
                context.Principal = new ClaimsPrincipal(
                    Caller.Identity(subject, role, role == Roles.Admin ? [] : states, "token", Scheme));
                return Task.CompletedTask;
            },
            OnChallenge = context =>
            {
                // The status-code pages middleware writes the problem body; keep the header short and generic.
                context.HandleResponse();
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"trajectories\"";
                return Task.CompletedTask;
            },
        };
    }
}

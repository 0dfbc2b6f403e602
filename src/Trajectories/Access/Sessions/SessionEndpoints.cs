using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Trajectories.Careers;

namespace Trajectories.Access;

public sealed record SignInRequest(string? Key);

/// <summary>Who is signed in, and the token the session's writes must send (null for a caller using a key).</summary>
public sealed record SessionView(MeView Me, string? CsrfToken);

/// <summary>Marks an endpoint whose refusals count as failed key attempts though it needs no key to call.</summary>
public sealed class CountsFailedKeys;

/// <summary>
/// Marks an endpoint that does not act with the cookie's authority, so a stale tab's CSRF token must not block it:
/// signing in (it makes a new session; login CSRF is refused by the body and origin checks) and signing out (ending
/// one's own session is never what a forged request wants, and SameSite=Strict keeps other sites out).
/// </summary>
public sealed class CsrfExempt;

/// <summary>
/// The web app's sign-in (issue 19, ADR 11): <c>POST /api/session</c> exchanges a key for an HttpOnly, SameSite=Strict
/// session cookie (Secure and __Host- on HTTPS), <c>GET /api/session</c> says who is signed in and gives the CSRF
/// token (a new tab asks), <c>DELETE /api/session</c> ends the session on the server. API clients keep sending keys.
/// </summary>
public static class SessionEndpoints
{
    public static void MapSessions(this WebApplication app)
    {
        app.MapPost("/api/session", SignInAsync).AllowAnonymous()
            .WithMetadata(new CountsFailedKeys(), new CsrfExempt())
            .WithTags("Access").WithSummary("Sign in: exchange an API key for the web app's session cookie")
            .Produces<SessionView>(200).ProducesProblem(400).ProducesProblem(401).ProducesProblem(429);
        app.MapGet("/api/session", Current)
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = AccessConfiguration.PolicyScheme })
            .WithTags("Access").WithSummary("Who is signed in, and the CSRF token of the session")
            .Produces<SessionView>(200).ProducesProblem(401);
        app.MapDelete("/api/session", SignOutAsync).AllowAnonymous().WithMetadata(new CsrfExempt())
            .WithTags("Access").WithSummary("Sign out: end the session on the server and clear its cookie")
            .Produces(204);
    }

    private static async Task<IResult> SignInAsync(
        HttpContext context, ApiKeyStore keys, SessionStore sessions, CancellationToken ct)
    {
        // Login CSRF: a page of another site must not sign this browser in as someone else. A cross-site form can
        // send only form or text bodies (JSON needs a preflight this service never grants), and browsers say where a
        // request comes from.
        if (context.Request.Headers["Sec-Fetch-Site"].ToString() == "cross-site")
            return new Rejection("cross-site-sign-in", 403, "Sign in from the web app's own page.").ToProblem();
        if (!(context.Request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return new Rejection("unsupported-media-type", 415,
                "Send the key as JSON (Content-Type: application/json): {\"key\": \"trj_...\"}.").ToProblem();
        SignInRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<SignInRequest>(context.Request.Body,
                JsonSerializerOptions.Web, ct);
        }
        catch (JsonException)
        {
            return Rejection.BadRequest("invalid-body", "Send a JSON object with your API key: {\"key\": \"trj_...\"}.")
                .ToProblem();
        }
        var presented = body?.Key?.Trim();
        if (string.IsNullOrEmpty(presented))
            return Rejection.BadRequest("missing-field", "Enter your API key.", "key").ToProblem();
        var key = presented.Length > 200 ? null : await keys.FindActiveAsync(presented, ct);
        if (key is null)
            return new Rejection("key-not-accepted", 401, "This key is not valid or has been revoked.", "key")
                .ToProblem();
        // Signing in again in this browser replaces its session rather than leaving the old one live.
        if (SessionAuthentication.Token(context.Request) is { Length: <= 200 } old) await sessions.EndAsync(old, ct);
        var (token, session) = await sessions.StartAsync(key, ct);
        context.Response.Cookies.Append(SessionAuthentication.CookieName(context.Request), token, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, Path = "/",
            IsEssential = true,
        });
        return Results.Ok(new SessionView(MeOf(key), session.CsrfToken));
    }

    private static IResult Current(HttpContext context)
    {
        var caller = Caller.From(context.User);
        return Results.Ok(new SessionView(
            new MeView(caller.Id, caller.Kind, caller.Role, caller.States?.Order(StringComparer.Ordinal).ToList()),
            context.User.FindFirst(SessionAuthentication.CsrfClaim)?.Value));
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, SessionStore sessions, CancellationToken ct)
    {
        if (SessionAuthentication.Token(context.Request) is { Length: <= 200 } token)
            await sessions.EndAsync(token, ct);
        foreach (var name in new[] { SessionAuthentication.SecureCookie, SessionAuthentication.PlainCookie })
            if (context.Request.Cookies.ContainsKey(name))
                context.Response.Cookies.Delete(name, new CookieOptions
                {
                    HttpOnly = true, SameSite = SameSiteMode.Strict,
                    Secure = name == SessionAuthentication.SecureCookie, Path = "/",
                });
        return Results.NoContent();
    }

    private static MeView MeOf(ApiKey key) =>
        new(key.Id.ToString(), "key", key.Role, key.States.Count == 0 ? null : key.States.Order().ToList());
}

/// <summary>Deletes ended sessions every ten minutes (they are refused already; this keeps the table small).</summary>
public sealed class ForgetEndedSessions(SessionStore sessions, ILogger<ForgetEndedSessions> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(10));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await sessions.ForgetEndedAsync(stoppingToken);
                sessions.Trim();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Forgetting ended sessions failed: {Type}", e.GetType().Name);
            }
        }
    }
}

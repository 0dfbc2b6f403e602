using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Trajectories.Careers;

namespace Trajectories.Access;

/// <summary>
/// The web app's session cookie, used only when the request presents no key or token (a header always wins). The
/// caller is the key behind the session, so the audit names the same key as for a call made with it.
/// </summary>
public sealed class SessionAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    SessionStore sessions) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Session";
    /// <summary>On HTTPS the __Host- prefix pins the cookie to this host, path / and Secure.</summary>
    public const string SecureCookie = "__Host-trajectories-session";
    public const string PlainCookie = "trajectories-session";
    public const string CsrfClaim = "trajectories:csrf";
    public const string CsrfHeader = "X-CSRF-Token";

    /// <summary>
    /// The session cookie's token. On HTTPS only the __Host- cookie counts: a plain one could have been planted by a
    /// sibling subdomain or over plain HTTP (cookie tossing) to sign the browser in as someone else.
    /// </summary>
    public static string? Token(HttpRequest request) =>
        request.Cookies.TryGetValue(SecureCookie, out var secure) && secure.Length > 0 ? secure
        : !request.IsHttps && request.Cookies.TryGetValue(PlainCookie, out var plain) && plain.Length > 0 ? plain
        : null;

    public static string CookieName(HttpRequest request) => request.IsHttps ? SecureCookie : PlainCookie;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = Token(Request);
        if (token is null) return AuthenticateResult.NoResult();
        if (token.Length > 200) return AuthenticateResult.Fail("invalid session");
        if (await sessions.FindAsync(token, Context.RequestAborted) is not var (session, key))
            return AuthenticateResult.Fail("the session has ended");
        var identity = Caller.Identity(key.Id.ToString(), key.Role, key.States, "key", SchemeName);
        identity.AddClaim(new Claim(CsrfClaim, session.CsrfToken));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"trajectories\"";
        return Task.CompletedTask;
    }
}

using System.Security.Cryptography;

namespace Trajectories.Access;

/// <summary>
/// A browser's sign-in (issue 19): the web app exchanges an API key once for a session cookie, so sign-in survives new
/// tabs and reloads. Stored server-side, so sign-out and the key's revocation end it on every node. The cookie holds a
/// random token; only its SHA-256 is kept (<see cref="Id"/>), as for keys. The CSRF token is what a write must send
/// back in <c>X-CSRF-Token</c>: a page of another site can make the browser send the cookie (SameSite=Strict already
/// stops that in current browsers) but cannot read this token.
/// </summary>
public sealed class WebSession
{
    public string Id { get; set; } = "";
    public Guid KeyId { get; set; }
    public string CsrfToken { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    /// <summary>The absolute end, whatever the activity.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// <c>Web:SessionIdleMinutes</c> (30): a session unused that long ends. <c>Web:SessionHours</c> (12): it ends that
/// long after sign-in in any case.
/// </summary>
public sealed record SessionSettings(TimeSpan Idle, TimeSpan Lifetime)
{
    public static SessionSettings From(IConfiguration configuration)
    {
        var idle = configuration.GetValue("Web:SessionIdleMinutes", 30.0);
        var hours = configuration.GetValue("Web:SessionHours", 12.0);
        if (idle <= 0 || hours <= 0 || idle > hours * 60)
            throw new Careers.ConfigurationError(
                $"Web:SessionIdleMinutes ({idle}) and Web:SessionHours ({hours}) must be positive, the idle time " +
                "no longer than the lifetime.");
        return new SessionSettings(TimeSpan.FromMinutes(idle), TimeSpan.FromHours(hours));
    }

    /// <summary>How stale the stored last use may get: a write per request would cost more than it tells.</summary>
    public TimeSpan TouchEvery => TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, Idle.Ticks / 4));
}

using System.Security.Claims;

namespace Trajectories.Careers;

/// <summary>
/// The authenticated caller as the endpoints see it: an API key (Id = key id) or an identity provider's token
/// (Id = the token subject), its role and the states it is limited to (null = every state).
/// </summary>
public sealed record Caller(string Id, string Role, IReadOnlySet<string>? States, string Kind)
{
    public const string KeyIdClaim = "trajectories:key";
    public const string StateClaim = "trajectories:state";
    public const string KindClaim = "trajectories:kind";

    public bool IsAdmin => Role == Roles.Admin;

    /// <summary>Whether a person or aggregate of this state is visible to the caller.</summary>
    public bool Sees(string state) => States is null || States.Contains(state);

    /// <summary>
    /// What is written in an event's user name: the key id or the token subject, never a key; for the service's own
    /// channels (RabbitMQ listener, file import) the channel and its name, e.g. "rabbitmq:trajectories.ingest".
    /// </summary>
    public string RecordedBy => $"{Kind}:{Id}";

    public static Caller From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
            throw new InvalidOperationException(
                "No authenticated caller: the endpoint is missing its [Access] declaration.");
        var states = user.FindAll(StateClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new Caller(
            user.FindFirstValue(KeyIdClaim) ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown",
            user.FindFirstValue(ClaimTypes.Role) ?? "",
            states.Count == 0 ? null : states,
            user.FindFirstValue(KindClaim) ?? "key");
    }

    public static ClaimsIdentity Identity(string id, string role, IEnumerable<string>? states, string kind,
        string scheme)
    {
        var claims = new List<Claim>
        {
            new(KeyIdClaim, id), new(ClaimTypes.NameIdentifier, id), new(ClaimTypes.Role, role), new(KindClaim, kind),
        };
        claims.AddRange((states ?? []).Select(s => new Claim(StateClaim, s)));
        return new ClaimsIdentity(claims, scheme, ClaimTypes.NameIdentifier, ClaimTypes.Role);
    }
}

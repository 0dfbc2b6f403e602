using Wolverine.Http;
using Trajectories.Careers;

namespace Trajectories.Access;

/// <summary>
/// Who the presented key or token is: the web app signs in with it and shows only what this role may use.
/// </summary>
public sealed record MeView(string Id, string Kind, string Role, IReadOnlyList<string>? States);

public static class GetMeEndpoint
{
    [WolverineGet("/api/me",
        Summary = "Who the presented key or token is")]
    [Access(Roles.Staff, Roles.Analyst, Roles.Integration), Tags("Access")]
    public static MeView Get(HttpContext context)
    {
        var caller = Caller.From(context.User);
        return new MeView(caller.Id, caller.Kind, caller.Role, caller.States?.Order(StringComparer.Ordinal).ToList());
    }
}

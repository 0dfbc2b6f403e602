using Trajectories.Careers;


namespace Trajectories.Access;

/// <summary>A request for a key (from the API or the CLI), checked the same way for both.</summary>
public sealed record CreateKey(string? Role, string[]? States, string? Name, string[]? Sources = null);

public static class KeySpec
{
    public static (string Role, string[] States, string Name, string[] Sources)? Validate(
        CreateKey request, RequestErrors errors)
    {
        var role = errors.OneOf(request.Role, Roles.All, "role");
        var states = new List<string>();
        foreach (var s in request.States ?? [])
        {
            var code = errors.StateCode(s, "states");
            if (code.Length > 0 && !states.Contains(code)) states.Add(code);
        }
        if (role == Roles.Admin && states.Count > 0)
            errors.Add("states", "admin-not-scoped", "Admin keys see every state; leave 'states' out for role admin.");
        var name = errors.Optional(request.Name, "name", 100) ?? "";
        var sources = (request.Sources ?? []).Select(s => errors.Required(s, "sources", 512)).Distinct().ToArray();
        if (sources.Length > 0 && role != Roles.Integration)
            errors.Add("sources", "sources-for-integrations",
                "Only integration keys send events: leave 'sources' out for other roles.");
        return errors.Any ? null : (role, states.ToArray(), name, sources);
    }
}

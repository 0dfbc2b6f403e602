using Trajectories.Careers;


namespace Trajectories.Access;

/// <summary>A request for a key (from the API or the CLI), checked the same way for both.</summary>
public sealed record CreateKey(string? Role, string[]? States, string? Name);

public static class KeySpec
{
    public static (string Role, string[] States, string Name)? Validate(CreateKey request, RequestErrors errors)
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
        return errors.Any ? null : (role, states.ToArray(), name);
    }
}

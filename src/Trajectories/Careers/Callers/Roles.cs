namespace Trajectories.Careers;

/// <summary>The four roles of the access model (docs/adr/0009-access-model.md).</summary>
public static class Roles
{
    /// <summary>Reads and writes individual records within the key's states.</summary>
    public const string Staff = "staff";
    /// <summary>Aggregates only, always suppressed; never an individual.</summary>
    public const string Analyst = "analyst";
    /// <summary>Ingestion endpoints only, within the key's states.</summary>
    public const string Integration = "integration";
    /// <summary>Everything, plus keys, settings, audit and erasure. Never scoped.</summary>
    public const string Admin = "admin";

    public static readonly string[] All = [Staff, Analyst, Integration, Admin];
}

/// <summary>
/// Who may call an endpoint, declared on the endpoint method. Admins may call every endpoint. An endpoint without this
/// attribute is admin-only: forgetting it closes the endpoint rather than opening it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AccessAttribute(params string[] roles) : Attribute
{
    public IReadOnlyList<string> Roles { get; } = roles;
}

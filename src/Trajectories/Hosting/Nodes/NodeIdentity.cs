using Npgsql;

namespace Trajectories.Hosting.Nodes;

/// <summary>
/// Who this service process is among the nodes on one database: a short id made at start-up (a restarted process is
/// a new node) and a name for operators (<c>Nodes:Name</c>, else the host name and process id). Every database
/// session the node opens carries the id in its application name, which is how another node can find and end this
/// one's sessions if it stops answering (<see cref="NodeWatch"/>, ADR 15).
/// </summary>
public sealed class NodeIdentity
{
    public const string ApplicationNamePrefix = "trajectories/";

    public string Id { get; } = Guid.NewGuid().ToString("N")[..12];
    public string Name { get; }
    public string ApplicationName => ApplicationNamePrefix + Id;

    public NodeIdentity(IConfiguration configuration)
    {
        var name = configuration["Nodes:Name"];
        Name = string.IsNullOrWhiteSpace(name) ? $"{Environment.MachineName}:{Environment.ProcessId}" : name.Trim();
        if (Name.Length > 200) Name = Name[..200];
    }

    /// <summary>The connection string with this node's application name (an operator's own name is replaced).</summary>
    public string Tag(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = ApplicationName }.ConnectionString;
}

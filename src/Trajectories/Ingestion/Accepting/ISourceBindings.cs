using Trajectories.Careers;

namespace Trajectories.Ingestion;

/// <summary>
/// Who may send events with a CloudEvents source. Implemented by Access, which knows the keys: an integration key
/// created with sources sends only those, and a source some key was created with belongs to that key alone.
/// </summary>
public interface ISourceBindings
{
    /// <summary>The rule of a refusal for another key's source.</summary>
    public const string NotAllowed = "source-not-allowed";

    /// <summary>The sources this caller may not send, each with the refusal to answer.</summary>
    Task<IReadOnlyDictionary<string, Rejection>> RefusedAsync(
        Caller caller, IReadOnlyCollection<string> sources, CancellationToken ct);
}

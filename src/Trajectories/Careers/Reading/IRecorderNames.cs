namespace Trajectories.Careers.Reading;

/// <summary>
/// The names people gave the keys that recorded entries ("key:&lt;id&gt;" to "Lane County intake laptop"), so a
/// timeline says who recorded an entry in words (issue 19). Keys belong to Access, which implements this; Careers
/// only asks. A recorder with no known name (a token subject, a deleted key) is left out.
/// </summary>
public interface IRecorderNames
{
    Task<IReadOnlyDictionary<string, string>> NamesAsync(IReadOnlyCollection<string> recordedBy, CancellationToken ct);
}

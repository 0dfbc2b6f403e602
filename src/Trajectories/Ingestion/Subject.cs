namespace Trajectories.Ingestion;

/// <summary>A CloudEvent subject: our specialist id, or STATE:certificationNumber.</summary>
public sealed record Subject(Guid? Id, string? State, string? Number)
{
    public static Subject? Parse(string subject)
    {
        if (Guid.TryParse(subject, out var id)) return new(id, null, null);
        var colon = subject.IndexOf(':');
        if (colon != 2) return null;
        var state = subject[..2].ToUpperInvariant();
        var number = subject[3..].Trim();
        if (!state.All(char.IsAsciiLetterUpper) || number.Length is 0 or > 64) return null;
        return new(null, state, number);
    }

    /// <summary>STATE:number, or null for a subject that is our id.</summary>
    public string? Key => State is null ? null : KeyOf(State, Number!);

    public static string KeyOf(string state, string number) => $"{state}:{number}";
}

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

    /// <summary>
    /// The person as the ingestion log keys their events: STATE:number, or id:&lt;our id&gt; (one spelling of the id,
    /// whatever the sender's). Events naming one person both ways have two keys.
    /// </summary>
    public string Key => State is null ? $"id:{Id!.Value:D}" : KeyOf(State, Number!);

    public static string KeyOf(string state, string number) => $"{state}:{number}";
}

namespace Trajectories.Careers;

/// <summary>
/// A refused command: the rule it broke (a stable kebab-case name clients can key on), the HTTP status it maps to
/// (400 when only the request is at fault, 409 when the stream's state forbids it, 404 for an unknown person),
/// a sentence for people, and the request field it concerns when there is one.
/// </summary>
public sealed record Rejection(string Rule, int Status, string Detail, string? Field = null)
{
    /// <summary>Every field error of a request at once (field name to messages), when there were several.</summary>
    public IReadOnlyDictionary<string, string[]>? FieldErrors { get; init; }

    /// <summary>The person the refusal is about when it is another one (who holds a certification number).</summary>
    public Guid? SpecialistId { get; init; }

    public static Rejection BadRequest(string rule, string detail, string? field = null) =>
        new(rule, 400, detail, field);
    public static Rejection Conflict(string rule, string detail, string? field = null) => new(rule, 409, detail, field);
}

/// <summary>What a command decides: the events to append, or why not.</summary>
public sealed record Decision(IReadOnlyList<CareerEvent> Events, Rejection? Rejection)
{
    public static Decision Accept(params CareerEvent[] events) => new(events, null);
    public static Decision Reject(Rejection rejection) => new([], rejection);
    public static implicit operator Decision(Rejection rejection) => Reject(rejection);
    public bool IsAccepted => Rejection is null;
}

namespace Trajectories.Ingestion;

/// <summary>
/// One CloudEvent as received: the idempotency record (Key = source + id, unique), the payload as sent, and what
/// became of it. Stored in the same transaction as the durable message that applies it, so an accepted event is
/// never lost and, once applied (in the same transaction as its career events), never applied again.
/// </summary>
public sealed class IngestedEvent
{
    public Guid Id { get; set; }
    /// <summary>source, a unit separator, id: the CloudEvents identity of the event.</summary>
    public string Key { get; set; } = "";
    public string Source { get; set; } = "";
    public string EventId { get; set; } = "";
    public string Type { get; set; } = "";
    public string? Subject { get; set; }
    /// <summary>
    /// STATE:number when the subject names the person that way (normalised), id:&lt;guid&gt; when it names our id: to
    /// find events waiting for a person, or for earlier events about them (<see cref="Subject.Key"/>).
    /// </summary>
    public string? SubjectKey { get; set; }
    /// <summary>The CloudEvent exactly as received (JSON), kept for rejections and retries.</summary>
    public string Payload { get; set; } = "";
    /// <summary>http, rabbitmq or file.</summary>
    public string Channel { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
    /// <summary>
    /// The key ("key:&lt;id&gt;") or token subject that sent it, and the states it was limited to (empty: all).
    /// </summary>
    public string ReceivedBy { get; set; } = "";
    public List<string> Scope { get; set; } = [];
    public string? CorrelationId { get; set; }

    public string Status { get; set; } = IngestStatus.Pending;
    public string? Rule { get; set; }
    public string? Detail { get; set; }
    public Guid? SpecialistId { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public int Attempts { get; set; }

    public static string KeyOf(string source, string id) => source + "\u001f" + id;

    public void Reject(string rule, string detail, DateTimeOffset now)
    {
        Status = IngestStatus.Rejected;
        Rule = rule;
        Detail = detail;
        DecidedAt = now;
    }

    /// <summary>Not decided: it waits for earlier events (the rule says which wait), and stays pending.</summary>
    public void Wait(string rule, string detail, DateTimeOffset now)
    {
        Status = IngestStatus.Pending;
        Rule = rule;
        Detail = detail;
        DecidedAt = now;
    }

    /// <summary>Its wait is over: pending as when it was accepted, to be decided next.</summary>
    public void Wake()
    {
        Status = IngestStatus.Pending;
        Rule = null;
        Detail = null;
    }

    public void Applied(Guid specialistId, DateTimeOffset now)
    {
        Status = IngestStatus.Applied;
        Rule = null;
        Detail = null;
        SpecialistId = specialistId;
        DecidedAt = now;
    }
}

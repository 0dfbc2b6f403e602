namespace Trajectories.Careers;

/// <summary>
/// The specialist's stream folded into one document (an inline snapshot, so reads never replay the stream):
/// the profile from the (corrected) certification, the current status for list queries, and the whole recorded
/// history, from which status and tenure at any date are computed.
/// </summary>
public sealed class Specialist
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public string Name { get; set; } = "";
    public string State { get; set; } = "";
    public string Credential { get; set; } = "";
    public string CertificationNumber { get; set; } = "";
    public DateOnly CertifiedOn { get; set; }
    public string County { get; set; } = "";
    public bool Rural { get; set; }
    public bool Mhpsa { get; set; }
    public DateOnly? ObservationStart { get; set; }

    /// <summary>
    /// Status after every recorded event. Events are never dated in the future, so this is today's status.
    /// </summary>
    public string Status { get; set; } = Vocabulary.Status.SeekingPeerWork;

    public DateTimeOffset LastRecordedAt { get; set; }
    public List<CareerEntry> Entries { get; set; } = [];

    public CareerHistory History() => CareerHistory.From(Entries);

    /// <summary>
    /// The snapshot's fold: adds recorded entries and brings profile and status up to date. The projection calls it
    /// for stored events, and ingestion for the events a batch has decided but not yet committed, so later events of
    /// the batch are judged on the same document a commit would produce.
    /// </summary>
    public Specialist Record(IEnumerable<CareerEntry> entries)
    {
        foreach (var entry in entries)
        {
            Entries.Add(entry);
            Version = entry.Version;
            LastRecordedAt = entry.RecordedAt;
        }
        var history = History();
        if (history.Certification is { } c)
        {
            Name = c.Name;
            State = c.State;
            Credential = c.Credential;
            CertificationNumber = CertificationNumbers.Stored(c.CertificationNumber, Id);
            CertifiedOn = c.CertifiedOn;
            County = c.County;
            Rural = c.Rural;
            Mhpsa = c.Mhpsa;
            ObservationStart = c.ObservationStart;
            Status = CareerState.At(history, history.Effective.Max(x => x.EffectiveOn)).Status;
        }
        return this;
    }
}

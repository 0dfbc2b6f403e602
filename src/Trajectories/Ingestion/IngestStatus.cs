namespace Trajectories.Ingestion;

/// <summary>The words of the ingestion contract (docs/adr/0010-ingestion-contract.md), in one place.</summary>
public static class IngestStatus
{
    // A record in the ingestion log is one of these.
    public const string Pending = "pending";
    public const string Applied = "applied";
    public const string Rejected = "rejected";

    // The intake answers each event sent with one of these (a rejection is answered Rejected, with its rule).
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
}

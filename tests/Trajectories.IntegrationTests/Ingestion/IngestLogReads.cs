using Marten;
using Trajectories.Ingestion;

namespace Trajectories.IntegrationTests.Ingestion;

/// <summary>Reads of the ingestion log that only the tests need.</summary>
public static class IngestLogReads
{
    /// <summary>Every record from one source, in the order received.</summary>
    public static Task<List<IngestedEvent>> FromSourceAsync(
        IQuerySession session, string source, CancellationToken ct = default) =>
        IngestLog.QueryAsync(session, "source = @p0 order by received_at, id", ct, source);
}

using Marten;
using Npgsql;
using Trajectories.Careers;

namespace Trajectories.Ingestion.Files;

/// <summary>What became of one line of an import file.</summary>
public sealed record LineOutcome(int Line, string Id, string Status, string? Rule = null, string? Detail = null);

/// <summary>
/// Imports a file's events through the same intake as HTTP and RabbitMQ (channel "file", the same (source, id) keys,
/// so running a file again records nothing new), and applies them at once in the same transaction, so the summary
/// can say for each line whether the history's rules took it. Chunks of <see cref="Chunk"/> lines commit one by one;
/// a dry run does everything in one transaction and rolls it back.
/// </summary>
public sealed class FileImport(IDocumentStore store, CareerLadder ladder, TimeProvider clock)
{
    public const int Chunk = 500;

    public async Task<List<LineOutcome>> RunAsync(
        string fileName, IReadOnlyList<FileLine> lines, bool dryRun, Action<int>? progress, CancellationToken ct)
    {
        var caller = new Caller(fileName, Roles.Admin, null, "file");
        var outcomes = lines.Where(l => l.Refusal is not null)
            .Select(l => new LineOutcome(l.Line, "", IngestStatus.Rejected, l.Refusal!.Rule, l.Refusal.Detail))
            .ToList();
        var good = lines.Where(l => l.Event is not null).ToList();
        progress?.Invoke(lines.Count - good.Count);

        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        NpgsqlTransaction? dryRunTransaction = dryRun ? await connection.BeginTransactionAsync(ct) : null;
        foreach (var chunk in good.Chunk(Chunk))
        {
            // A write by the running service to the same stream between our read and our commit: read again and redo.
            for (var attempt = 1; ; attempt++)
            {
                var transaction = dryRunTransaction ?? await connection.BeginTransactionAsync(ct);
                try
                {
                    var done = await ImportChunkAsync(transaction, chunk, caller, ct);
                    if (!dryRun) await transaction.CommitAsync(ct);
                    outcomes.AddRange(done);
                    break;
                }
                catch (Exception e) when (!dryRun && attempt < 5
                    && e is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException)
                {
                    await transaction.RollbackAsync(ct);
                }
                finally
                {
                    if (!dryRun) await transaction.DisposeAsync();
                }
            }
            progress?.Invoke(chunk.Length);
        }
        if (dryRunTransaction is not null) await dryRunTransaction.RollbackAsync(ct);
        return outcomes.OrderBy(o => o.Line).ToList();
    }

    private async Task<List<LineOutcome>> ImportChunkAsync(
        NpgsqlTransaction transaction, FileLine[] chunk, Caller caller, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<IngestResult> results;
        List<IngestedEvent?> accepted;
        await using (var session = Session(transaction))
        {
            (results, accepted) = await Intake.RecordAsync(
                session, chunk.Select(l => l.Event!).ToList(), caller, ladder, "file", null, now, ct);
            await session.SaveChangesAsync(ct);
        }
        // Applied in file order, one session per run of lines from one source (the channel is a session-wide event
        // header); events waiting elsewhere for a person this file creates follow. All in the chunk's transaction.
        var pending = accepted.OfType<IngestedEvent>().ToList();
        var waiting = await ApplyAsync(transaction, pending, now, ct);
        while (waiting.Count > 0) waiting = await ApplyAsync(transaction, waiting, now, ct);

        return chunk.Select((line, i) => accepted[i] is { } doc
            ? new LineOutcome(line.Line, doc.EventId,
                doc.Status == IngestStatus.Applied ? IngestStatus.Accepted : doc.Status, doc.Rule, doc.Detail)
            : new LineOutcome(line.Line, results[i].Id, results[i].Status, results[i].Rule, results[i].Detail))
            .ToList();
    }

    private async Task<List<IngestedEvent>> ApplyAsync(
        NpgsqlTransaction transaction, List<IngestedEvent> docs, DateTimeOffset now, CancellationToken ct)
    {
        var waiting = new List<IngestedEvent>();
        foreach (var run in Runs(docs))
        {
            await using var session = Session(transaction);
            waiting.AddRange(await ApplyIngestedHandler.ApplyAsync(session, run, ladder, now, ct));
            await session.SaveChangesAsync(ct);
        }
        return waiting;
    }

    private static IEnumerable<List<IngestedEvent>> Runs(List<IngestedEvent> docs)
    {
        var run = new List<IngestedEvent>();
        foreach (var doc in docs)
        {
            if (run.Count > 0 && run[0].Source != doc.Source) { yield return run; run = []; }
            run.Add(doc);
        }
        if (run.Count > 0) yield return run;
    }

    private IDocumentSession Session(NpgsqlTransaction transaction) =>
        store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction));
}

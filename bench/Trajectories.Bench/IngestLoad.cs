using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Trajectories.Careers;
using Trajectories.Ingestion.Files;

namespace Trajectories.Bench;

/// <summary>
/// The cohort as CloudEvents sent to `POST /api/ingest/events` in batches of 500 by several senders, timed from the
/// first send until every accepted event is applied and every async projection has caught up with the event store.
/// </summary>
public static class IngestLoad
{
    public const int BatchSize = 500;

    /// <summary>Each person's events as the export writes them (subject STATE:number), in order, in batches of whole
    /// people (at most <see cref="BatchSize"/> events); ids stable per run.</summary>
    public static List<string> Batches(List<IReadOnlyList<CareerEvent>> people)
    {
        var now = DateTimeOffset.UtcNow;
        var batches = new List<List<CloudNative.CloudEvents.CloudEvent>> { new() };
        foreach (var events in people)
        {
            var certified = (SpecialistCertified)events[0];
            var specialist = new Specialist
            {
                Id = Guid.CreateVersion7(), State = certified.State,
                CertificationNumber = certified.CertificationNumber,
                Entries = events.Select((e, i) => new CareerEntry(Guid.CreateVersion7(), i + 1, now, null, e)).ToList(),
            };
            var lines = Export.Events(specialist).ToList();
            foreach (var line in lines) line.Source = new Uri("urn:bench");
            // Whole people per batch: the senders run side by side, and a person split over two batches could have a
            // separation overtake its hire (rejected job-not-held, as it should be, but not what this measures).
            if (batches[^1].Count + lines.Count > BatchSize) batches.Add([]);
            batches[^1].AddRange(lines);
        }
        // Batched content mode as the CNCF SDK writes it, as an integrator using the SDK would send.
        return batches.Select(batch => System.Text.Encoding.UTF8.GetString(
            Trajectories.Ingestion.CloudEvents.Formatter.EncodeBatchModeMessage(batch, out _).Span)).ToList();
    }

    /// <summary>Events per second end to end, and a note on what was checked.</summary>
    public static async Task<(double Rate, string Note)> RunAsync(
        Uri url, Database db, List<string> warmup, List<string> batches, int total, int senders)
    {
        using var http = Service.Authorized(new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) });
        // Warm-up, not timed: other people's events through the same path until applied and projected. A service
        // fresh from start-up spends a good part of its first seconds compiling (tiered JIT: about a tenth of the
        // machine in a profile of the first minute), and the baselines it is compared with run three times in one
        // process, warm after the first; this also covers connection pools and the async daemon, which the service's
        // agent assignment starts some seconds after start-up.
        var warming = Stopwatch.StartNew();
        await SendAllAsync(http, warmup, senders);
        await CaughtUpAsync(db, warming);
        var warmupEvents = await db.CountAsync("select count(*) from trajectories.mt_events");

        var watch = Stopwatch.StartNew();
        await SendAllAsync(http, batches, senders);
        var sent = watch.Elapsed.TotalSeconds;
        // Applied: nothing pending. Caught up: every async projection's progression at the store's highest sequence.
        while (await PendingAsync(db))
            await Deadline(watch);
        var applied = watch.Elapsed.TotalSeconds;
        await CaughtUpAsync(db, watch);
        watch.Stop();

        var events = await db.CountAsync("select count(*) from trajectories.mt_events");
        var rejected =
            await db.CountAsync("select count(*) from trajectories.ingested_events where status = 'rejected'");
        if (events + rejected != warmupEvents + total)
            throw new InvalidOperationException(
                $"ingest: {warmupEvents + total} events sent, {events} appended and {rejected} rejected");
        var note = $"{total:N0} events in {batches.Count} batches, {senders} senders; all sent after {sent:0.0} s, " +
                   $"applied after {applied:0.0} s, projections caught up after {watch.Elapsed.TotalSeconds:0.0} s" +
                   (rejected > 0
                       ? $"; {rejected} rejected ({await db.ScalarTextAsync(
                           "select string_agg(rule || ': ' || n, ', ') from (select rule, count(*) n " +
                           "from trajectories.ingested_events where status = 'rejected' group by rule) r")})"
                       : "; none rejected");
        return ((events - warmupEvents) / watch.Elapsed.TotalSeconds,
            note + $"; after an untimed warm-up of {warmupEvents:N0} other events");
    }

    private static Task SendAllAsync(HttpClient http, List<string> batches, int senders)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, senders).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < batches.Count) await SendAsync(http, batches[i]);
        }));
    }

    private static async Task SendAsync(HttpClient http, string batch)
    {
        using var content = new StringContent(batch, Encoding.UTF8, "application/cloudevents-batch+json");
        var response = await http.PostAsync("/api/ingest/events", content);
        if ((int)response.StatusCode != 202)
            throw new InvalidOperationException(
                $"ingest answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task CaughtUpAsync(Database db, Stopwatch watch)
    {
        while (await PendingAsync(db)
               || await db.CountAsync(
                   "select count(*) from trajectories.mt_event_progression where name not like 'HighWater%'") == 0
               || await db.CountAsync(
                   "select count(*) from trajectories.mt_event_progression where name not like 'HighWater%' " +
                   "and last_seq_id < (select coalesce(max(seq_id), 0) from trajectories.mt_events)") > 0)
            await Deadline(watch);
    }

    /// <summary>
    /// Whether anything accepted is still to be applied: stops at the first pending record (the count it replaced
    /// walked every applied row's stale index entry, about 13 ms a poll at 90,000 events, taken from the database
    /// being measured).
    /// </summary>
    private static async Task<bool> PendingAsync(Database db) =>
        await db.CountAsync(
            "select count(*) from (select 1 from trajectories.ingested_events where status = 'pending' " +
            "and status <> 'applied' limit 1) p") > 0;

    private static async Task Deadline(Stopwatch watch)
    {
        if (watch.Elapsed > TimeSpan.FromMinutes(20))
            throw new TimeoutException("ingested events were not applied and projected within 20 minutes");
        await Task.Delay(100);
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Trajectories.Careers;
using Sdk = CloudNative.CloudEvents;

namespace Trajectories.Ingestion.Files;

/// <summary>
/// Every stream as CloudEvents, one per line: each person's events as they stand after corrections (voided ones
/// left out), in effective order, with the data of the matching ingest type, so importing the file into an empty
/// store rebuilds the same people, statuses and histories. Ids are the original event ids under source
/// <see cref="Source"/>; the subject is STATE:certificationNumber.
/// </summary>
public static class Export
{
    public const string Source = "urn:trajectories:export";
    private const int Page = 1000;
    /// <summary>Event field names that the ingest type's data calls effectiveOn.</summary>
    private static readonly Dictionary<Type, string> EffectiveField = new()
    {
        [typeof(Promoted)] = "promotedOn", [typeof(WageOrHoursChanged)] = "changedOn",
        [typeof(Separated)] = "separatedOn", [typeof(ReturnedToWork)] = "returnedOn",
        [typeof(LostToFollowUp)] = "lostOn",
    };

    public static async Task<int> CountAsync(IQuerySession session, CancellationToken ct) =>
        await session.Query<Specialist>().CountAsync(ct);

    /// <summary>
    /// Writes every stream; returns (people, events). <paramref name="progress"/> is told after each person.
    /// </summary>
    public static async Task<(int People, int Events)> WriteAsync(
        IQuerySession session, TextWriter output, Action? progress, CancellationToken ct)
    {
        var people = 0;
        var events = 0;
        Guid? after = null;
        while (true)
        {
            // Keyset pages by id: constant memory, and no page shifts when the service writes meanwhile.
            var from = after ?? Guid.Empty;
            var page = await session.Query<Specialist>().Where(s => s.Id > from).OrderBy(s => s.Id).Take(Page)
                .ToListAsync(ct);
            if (page.Count == 0) break;
            foreach (var specialist in page)
            {
                foreach (var cloudEvent in Events(specialist))
                {
                    // Written by the CNCF SDK's formatter, the one the import reads with.
                    await output.WriteLineAsync(CloudEvents.Write(cloudEvent));
                    events++;
                }
                people++;
                progress?.Invoke();
            }
            after = page[^1].Id;
        }
        return (people, events);
    }

    public static IEnumerable<Sdk.CloudEvent> Events(Specialist specialist)
    {
        var subject = Subject.KeyOf(specialist.State, specialist.CertificationNumber);
        foreach (var entry in CareerHistory.From(specialist.Entries).Effective)
        {
            var kind = CareerJson.KindOf(entry.Event);
            if (IngestType.Find(IngestType.Prefix + kind + IngestType.Suffix) is not { } type) continue;
            var data = JsonSerializer.SerializeToNode(entry.Event, entry.Event.GetType(), CareerJson.Options)!
                .AsObject();
            data.Remove("effectiveOn");      // the base class's computed date, not a field of the event
            if (EffectiveField.TryGetValue(entry.Event.GetType(), out var field) && data.Remove(field, out var on))
                data["effectiveOn"] = on;
            yield return new Sdk.CloudEvent
            {
                Id = entry.Recorded.EventId.ToString(), Source = new Uri(Source), Type = type.CloudEventType,
                Subject = subject, Time = entry.Recorded.RecordedAt, DataContentType = "application/json",
                Data = data,
            };
        }
    }
}

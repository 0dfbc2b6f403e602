using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Trajectories.Ingestion;

namespace Trajectories.Bench;

/// <summary>
/// What reading CloudEvents through the CNCF SDK costs on the ingestion path, in process (no HTTP, no database): a
/// batch of the cohort's events read by <see cref="CloudEvents.Read(ReadOnlyMemory{byte})"/> and the same events one by
/// one in binary mode, each against the floor of parsing the batch's JSON and taking each event's text.
/// </summary>
public static class Reading
{
    private const int Rounds = 30;

    /// <summary>(batch µs/event, binary µs/event, parse-only µs/event) for one run.</summary>
    public static (double Batch, double Binary, double Floor) Run(List<string> batches)
    {
        var body = Encoding.UTF8.GetBytes(batches[0]);
        using var document = JsonDocument.Parse(body);
        var count = document.RootElement.GetArrayLength();
        var binary = document.RootElement.EnumerateArray().Select(e => new CloudEventMessage(
            Encoding.UTF8.GetBytes(e.GetProperty("data").GetRawText()), "application/json",
            e.EnumerateObject().Where(p => p.Name is not ("data" or "datacontenttype"))
                .Select(p => KeyValuePair.Create(p.Name, p.Value.GetString()!)).ToList(),
            "ce-", PercentEncoded: false)).ToList();

        double PerEvent(Action read)
        {
            read();                                                  // warm: JIT and the SDK's first-use setup
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < Rounds; i++) read();
            return watch.Elapsed.TotalMicroseconds / Rounds / count;
        }
        var batch = PerEvent(() =>
        {
            if (CloudEvents.Read(body).Events?.Count != count) throw new InvalidOperationException("batch refused");
        });
        var oneByOne = PerEvent(() =>
        {
            foreach (var message in binary)
                if (CloudEvents.Read(message).Events is null) throw new InvalidOperationException("binary refused");
        });
        var floor = PerEvent(() =>
        {
            using var parsed = JsonDocument.Parse(body, CloudEvents.Reading);
            foreach (var e in parsed.RootElement.EnumerateArray()) _ = e.GetRawText();
        });
        return (batch, oneByOne, floor);
    }
}

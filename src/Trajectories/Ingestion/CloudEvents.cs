using System.Globalization;
using System.Text.Json;

namespace Trajectories.Ingestion;

/// <summary>A structured-mode CloudEvent (JSON) with the attributes we use.</summary>
public sealed record CloudEvent(string Id, string Source, string Type, string? Subject, DateTimeOffset? Time, JsonElement? Data, string Raw);

/// <summary>
/// Reads CloudEvents 1.0 in JSON structured mode: one event (an object) or a batch (an array). A body that is not
/// CloudEvents at all (wrong JSON shape, missing required attributes, binary data) is refused as a whole; an event
/// that is a CloudEvent but not one we can record is rejected on its own (see the ingest endpoint).
/// </summary>
public static class CloudEvents
{
    public const int MaxBatch = 1000;
    public static readonly JsonDocumentOptions Reading = new() { MaxDepth = 32, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>The events, or the field errors (by index) that make the body not CloudEvents.</summary>
    public static (List<CloudEvent>? Events, Dictionary<string, string[]>? Errors, bool TooMany) Parse(JsonElement root)
    {
        var items = root.ValueKind switch
        {
            JsonValueKind.Object => [root],
            JsonValueKind.Array => root.EnumerateArray().ToList(),
            _ => null,
        };
        if (items is null) return (null, new() { ["$"] = ["The body is a CloudEvent (a JSON object) or a batch of them (a JSON array)."] }, false);
        if (items.Count == 0) return (null, new() { ["$"] = ["The batch is empty."] }, false);
        if (items.Count > MaxBatch) return (null, null, true);

        var events = new List<CloudEvent>();
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < items.Count; i++)
        {
            var at = root.ValueKind == JsonValueKind.Array ? $"[{i}]." : "";
            var problems = new List<(string Field, string Message)>();
            var e = items[i];
            if (e.ValueKind != JsonValueKind.Object) { errors[$"[{i}]"] = ["Each item of a batch is a CloudEvent (a JSON object)."]; continue; }
            string? Text(string name, bool required, int max)
            {
                if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
                {
                    if (required) problems.Add((name, $"'{name}' is required."));
                    return null;
                }
                if (v.ValueKind != JsonValueKind.String) { problems.Add((name, $"'{name}' is a string.")); return null; }
                var s = v.GetString()!;
                if (required && s.Length == 0) problems.Add((name, $"'{name}' must not be empty."));
                else if (s.Length > max) problems.Add((name, $"'{name}' is longer than {max} characters."));
                return s;
            }
            var spec = Text("specversion", true, 10);
            if (spec is not null && spec != "1.0") problems.Add(("specversion", "'specversion' must be \"1.0\"."));
            var id = Text("id", true, 256);
            var source = Text("source", true, 512);
            var type = Text("type", true, 256);
            var subject = Text("subject", false, 256);
            var timeText = Text("time", false, 64);
            DateTimeOffset? time = null;
            if (timeText is not null)
            {
                if (DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t)) time = t;
                else problems.Add(("time", "'time' is an RFC 3339 timestamp."));
            }
            var contentType = Text("datacontenttype", false, 100);
            if (contentType is not null && contentType != "application/json" && !contentType.EndsWith("+json", StringComparison.Ordinal))
                problems.Add(("datacontenttype", "Only JSON data is taken ('datacontenttype' application/json)."));
            if (e.TryGetProperty("data_base64", out _)) problems.Add(("data_base64", "Binary data is not taken; send 'data' as JSON."));
            JsonElement? data = e.TryGetProperty("data", out var d) ? d.Clone() : null;

            foreach (var (field, message) in problems) errors[at + field] = [message];
            if (problems.Count == 0) events.Add(new CloudEvent(id!, source!, type!, subject, time, data, e.GetRawText()));
        }
        return errors.Count > 0 ? (null, errors, false) : (events, null, false);
    }
}

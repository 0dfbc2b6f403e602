using System.Globalization;
using System.Text.Json;
using Trajectories.Careers;

namespace Trajectories.Ingestion;

/// <summary>
/// Reads CloudEvents 1.0 in JSON structured mode: one event (an object) or a batch (an array). A body that is not
/// CloudEvents at all (wrong JSON shape, missing required attributes, binary data) is refused as a whole; an event
/// that is a CloudEvent but not one we can record is rejected on its own (see the ingest endpoint).
/// </summary>
public static class CloudEvents
{
    public const int MaxBatch = 1000;
    public static readonly JsonDocumentOptions Reading = new()
    {
        MaxDepth = 32, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>
    /// A message body as any channel receives it: the events, or why the body as a whole is refused (not UTF-8, not
    /// JSON, not CloudEvents, too many events). The encoding is checked first: System.Text.Json finds bad UTF-8
    /// inside strings only when they are read, too late for a clean refusal.
    /// </summary>
    public static (List<CloudEvent>? Events, Rejection? Refusal) Read(ReadOnlyMemory<byte> body)
    {
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
            return (null, Rejection.BadRequest("malformed-request", "The body is not valid UTF-8."));
        JsonDocument document;
        try { document = JsonDocument.Parse(body, Reading); }
        catch (JsonException e)
        {
            return (null, Rejection.BadRequest(
                "malformed-request", $"The body is not valid JSON ({e.Message.Split('.')[0]})."));
        }
        using (document)
        {
            var (events, errors, tooMany) = Parse(document.RootElement);
            if (tooMany)
                return (null, new Rejection(
                    "batch-too-large", 413, $"A batch holds at most {MaxBatch} events; split it."));
            if (errors is not null)
                return (null, new Rejection("not-cloudevents", 400,
                    "The body is not CloudEvents 1.0 in JSON structured mode: " +
                    string.Join(" ", errors.Select(kv => $"{kv.Key}: {kv.Value[0]}")))
                    { FieldErrors = errors });
            return (events, null);
        }
    }

    /// <summary>The events, or the field errors (by index) that make the body not CloudEvents.</summary>
    public static (List<CloudEvent>? Events, Dictionary<string, string[]>? Errors, bool TooMany) Parse(JsonElement root)
    {
        var items = root.ValueKind switch
        {
            JsonValueKind.Object => [root],
            JsonValueKind.Array => root.EnumerateArray().ToList(),
            _ => null,
        };
        if (items is null)
            return (null, new()
            {
                ["$"] = ["The body is a CloudEvent (a JSON object) or a batch of them (a JSON array)."],
            }, false);
        if (items.Count == 0) return (null, new() { ["$"] = ["The batch is empty."] }, false);
        if (items.Count > MaxBatch) return (null, null, true);

        var events = new List<CloudEvent>();
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < items.Count; i++)
        {
            var at = root.ValueKind == JsonValueKind.Array ? $"[{i}]." : "";
            var problems = new List<(string Field, string Message)>();
            var e = items[i];
            if (e.ValueKind != JsonValueKind.Object)
            {
                errors[$"[{i}]"] = ["Each item of a batch is a CloudEvent (a JSON object)."];
                continue;
            }
            string? Text(string name, bool required, int max)
            {
                if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
                {
                    if (required) problems.Add((name, $"'{name}' is required."));
                    return null;
                }
                if (v.ValueKind != JsonValueKind.String)
                {
                    problems.Add((name, $"'{name}' is a string."));
                    return null;
                }
                var s = v.GetString()!;
                if (required && s.Length == 0) problems.Add((name, $"'{name}' must not be empty."));
                else if (s.Length > max) problems.Add((name, $"'{name}' is longer than {max} characters."));
                // Attributes are stored as text, which cannot hold NUL; none of them has a use for control characters.
                else if (s.Any(c => char.IsControl(c) || char.IsSurrogate(c)
                             || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format))
                    problems.Add((name, $"'{name}' holds control, invisible or unpaired characters."));
                // "urn:tx:board " would look like another sender's source in the timeline.
                else if (s.Length > 0 && (char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1])))
                    problems.Add((name, $"'{name}' must not begin or end with white space."));
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
                if (DateTimeOffset.TryParse(
                        timeText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t))
                    time = t;
                else problems.Add(("time", "'time' is an RFC 3339 timestamp."));
            }
            var contentType = Text("datacontenttype", false, 100);
            if (contentType is not null && contentType != "application/json"
                && !contentType.EndsWith("+json", StringComparison.Ordinal))
                problems.Add(("datacontenttype", "Only JSON data is taken ('datacontenttype' application/json)."));
            if (e.TryGetProperty("data_base64", out _))
                problems.Add(("data_base64", "Binary data is not taken; send 'data' as JSON."));
            JsonElement? data = e.TryGetProperty("data", out var d) ? d.Clone() : null;

            foreach (var (field, message) in problems) errors[at + field] = [message];
            if (problems.Count == 0)
                events.Add(new CloudEvent(id!, source!, type!, subject, time, data, e.GetRawText()));
        }
        return errors.Count > 0 ? (null, errors, false) : (events, null, false);
    }
}

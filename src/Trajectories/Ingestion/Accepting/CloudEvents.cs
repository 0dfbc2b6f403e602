using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using CloudNative.CloudEvents.SystemTextJson;
using Trajectories.Careers;
using Sdk = CloudNative.CloudEvents;

namespace Trajectories.Ingestion;

/// <summary>
/// Reads CloudEvents 1.0 through the CNCF SDK's JSON event format, in every content mode a channel can carry: binary
/// (attributes beside the body, the body the event's data), structured (one event as the body) and batched (an array).
/// A message that is not CloudEvents at all (not UTF-8, not JSON, missing required attributes, both modes at once) is
/// refused as a whole; an event that is a CloudEvent but not one we can record is rejected on its own (see
/// <see cref="Intake"/>). Every event comes out in one form, its structured JSON, whichever mode it came in (as sent
/// for structured and batched events, as the SDK writes it for binary ones): that is what the ingestion log stores
/// and what is applied.
/// </summary>
public static class CloudEvents
{
    public const int MaxBatch = 1000;

    public static readonly JsonDocumentOptions Reading = new()
    {
        MaxDepth = 32, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow,
        // {"id":"a", ..., "id":"b"}: which one the sender meant is a guess, so none is taken.
        AllowDuplicateProperties = false,
    };

    /// <summary>
    /// The SDK's formatter, for reading and for writing every event we store or export. Non-ASCII text is written as is
    /// (the stored JSON is served back through serializers that escape what they must).
    /// </summary>
    public static readonly JsonEventFormatter Formatter = new(
        new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }, Reading);

    /// <summary>A body alone (a file line, a structured or batched message).</summary>
    public static (List<CloudEvent>? Events, Rejection? Refusal) Read(ReadOnlyMemory<byte> body) =>
        Read(CloudEventMessage.Structured(body));

    /// <summary>
    /// A message as any channel receives it: the events, or why the message as a whole is refused. The encoding is
    /// checked first: System.Text.Json finds bad UTF-8 inside strings only when they are read, too late for a clean
    /// refusal.
    /// </summary>
    public static (List<CloudEvent>? Events, Rejection? Refusal) Read(CloudEventMessage message)
    {
        if (!System.Text.Unicode.Utf8.IsValid(message.Body.Span))
            return (null, Rejection.BadRequest("malformed-request", "The body is not valid UTF-8."));
        var media = CloudEventRules.MediaType(message.ContentType);
        var eventFormat = media?.StartsWith("application/cloudevents", StringComparison.Ordinal) == true;
        if (eventFormat && media is not (StructuredType or BatchType))
            return (null, Rejection.BadRequest("not-cloudevents",
                $"'{message.ContentType}' is not an event format we read: send {StructuredType} (one event), " +
                $"{BatchType} (a batch), or the event's data as application/json with {message.Prefix} headers."));
        if (message.IsBinary && media == BatchType)
            return (null, Mixed(message, $"A batch cannot have {message.Prefix} headers: they describe one event."));
        if (message.IsBinary && !eventFormat) return ReadBinary(message);
        var (events, refusal) = ReadStructured(message.Body);
        // Structured mode may repeat the attributes as headers (the HTTP binding allows it and the CNCF SDK does it);
        // the body is the event, and headers that say something else make the message ambiguous.
        if (refusal is null && message.IsBinary && Disagreement(message, events!) is { } disagreement)
            return (null, Mixed(message, disagreement));
        return (events, refusal);
    }

    public const string StructuredType = "application/cloudevents+json";
    public const string BatchType = "application/cloudevents-batch+json";

    private static Rejection Mixed(CloudEventMessage message, string what) =>
        Rejection.BadRequest("mixed-content-modes",
            $"{what} Send the attributes in one place: binary mode puts them in {message.Prefix} headers and the " +
            "event's data in the body (Content-Type application/json); structured mode puts the whole event in the " +
            "body (Content-Type application/cloudevents+json), with any such headers equal to it.");

    /// <summary>Why the headers beside a structured body do not say what the body says (null when they do).</summary>
    private static string? Disagreement(CloudEventMessage message, List<CloudEvent> events)
    {
        if (events.Count != 1 || message.Body.Span.TrimStart(" \t\r\n"u8) is [(byte)'[', ..])
            return $"A batch cannot have {message.Prefix} headers: they describe one event.";
        if (message.Unreadable.Count > 0)
            return $"The header '{message.Prefix}{message.Unreadable[0]}' is not text.";
        using var stored = JsonDocument.Parse(events[0].Raw);
        foreach (var (name, raw) in message.Attributes)
        {
            string value;
            try { value = message.PercentEncoded ? HttpUtilities.DecodeHeaderValue(raw) : raw; }
            catch (ArgumentException) { return $"'{message.Prefix}{name}' is not percent-encoded UTF-8 text."; }
            if (!stored.RootElement.TryGetProperty(name, out var inBody) || !Same(name, value, inBody))
                return $"The header '{message.Prefix}{name}' says something the structured body does not.";
        }
        return null;
    }

    /// <summary>A timestamp as the SDK reads it (RFC 3339), or null.</summary>
    private static DateTimeOffset? Instant(string text)
    {
        try { return (DateTimeOffset)CloudEventsSpecVersion.V1_0.TimeAttribute.Parse(text); }
        catch (ArgumentException) { return null; }
    }

    /// <summary>A header's text and the body's value are the same attribute value (times as instants).</summary>
    private static bool Same(string name, string header, JsonElement body) => body.ValueKind switch
    {
        JsonValueKind.String when name == "time" => header == body.GetString()
            || (Instant(header) is { } a && Instant(body.GetString()!) is { } b && a == b),
        JsonValueKind.String => body.GetString() == header,
        _ => body.GetRawText() == header,
    };

    private static (List<CloudEvent>?, Rejection?) ReadStructured(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(body, Reading); }
        catch (JsonException e) { return (null, NotJson("The body", e)); }
        using (document)
        {
            var (events, errors, tooMany) = Parse(document.RootElement);
            if (tooMany)
                return (null, new Rejection(
                    "batch-too-large", 413, $"A batch holds at most {MaxBatch} events; split it."));
            return errors is null ? (events, null) : (null, NotCloudEvents(errors, "JSON structured mode"));
        }
    }

    /// <summary>
    /// The events of a structured body (an object) or a batch (an array), or why it is not CloudEvents.
    /// </summary>
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
                ["$"] =
                [
                    "The body is a CloudEvent (a JSON object) or a batch of them (a JSON array). For binary " +
                    "mode, send the attributes as ce- headers.",
                ],
            }, false);
        if (items.Count == 0) return (null, new() { ["$"] = ["The batch is empty."] }, false);
        if (items.Count > MaxBatch) return (null, null, true);

        var events = new List<CloudEvent>();
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < items.Count; i++)
        {
            var at = root.ValueKind == JsonValueKind.Array ? $"[{i}]." : "";
            if (items[i].ValueKind != JsonValueKind.Object)
            {
                errors[$"[{i}]"] = ["Each item of a batch is a CloudEvent (a JSON object)."];
                continue;
            }
            Sdk.CloudEvent read;
            try { read = Formatter.ConvertFromJsonElement(items[i], null); }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
            {
                foreach (var (field, message) in CloudEventRules.Explain(e)) errors[at + field] = [message];
                continue;
            }
            // Stored as sent: the SDK has read it, so it is the event's structured JSON (re-encoding it would cost
            // more than reading it: measured in ADR 10).
            if (Judged(read, name => at + name, errors, items[i].GetRawText()) is { } judged) events.Add(judged);
        }
        return errors.Count > 0 ? (null, errors, false) : (events, null, false);
    }

    private static (List<CloudEvent>?, Rejection?) ReadBinary(CloudEventMessage message)
    {
        var errors = new Dictionary<string, string[]>();
        string Field(string name) => message.Prefix + name;
        var read = new Sdk.CloudEvent(CloudEventsSpecVersion.V1_0);
        string? version = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, raw) in message.Attributes)
        {
            if (!seen.Add(name))
            {
                errors[Field(name)] = [$"'{Field(name)}' is given more than once."];
                continue;
            }
            string value;
            try { value = message.PercentEncoded ? HttpUtilities.DecodeHeaderValue(raw) : raw; }
            catch (ArgumentException)
            {
                errors[Field(name)] = [$"'{Field(name)}' is not percent-encoded UTF-8 text."];
                continue;
            }
            if (name == CloudEventsSpecVersion.SpecVersionAttribute.Name) version = value;
            else if (name is "datacontenttype" or "data" or "data_base64")
                errors[Field(name)] = [$"'{Field(name)}' is not sent in binary mode: the data is the body and its " +
                                       "type the Content-Type."];
            else
            {
                try { read.SetAttributeFromString(name, value); }
                catch (ArgumentException e)
                {
                    foreach (var (_, explained) in CloudEventRules.Explain(e))
                        errors[Field(name)] = [explained.Replace($"'{name}'", $"'{Field(name)}'")];
                }
            }
        }
        foreach (var name in message.Unreadable)
            errors[Field(name)] = [$"'{Field(name)}' is not text (send a string, a whole number, a boolean or a " +
                                   "timestamp)."];
        if (version is null)
            errors[Field("specversion")] = [$"'{Field("specversion")}' is required (\"1.0\"): it marks a CloudEvent " +
                                            "in binary mode."];
        else if (version != CloudEventsSpecVersion.V1_0.VersionId)
            errors[Field("specversion")] = [$"'{Field("specversion")}' must be \"1.0\"."];
        foreach (var required in CloudEventsSpecVersion.V1_0.RequiredAttributes)
            if (read[required] is null && !errors.ContainsKey(Field(required.Name)))
                errors[Field(required.Name)] = [$"'{Field(required.Name)}' is required."];
        if (message.ContentType is { Length: > 0 } contentType)
        {
            // Media types are case-insensitive (RFC 9110); the SDK reads JSON data only for "application/json".
            if (CloudEventRules.BinaryDataProblem(contentType) is { } problem) errors["Content-Type"] = [problem];
            else read.DataContentType = CloudEventRules.Normalized(contentType);
        }
        if (errors.Count > 0) return (null, NotCloudEvents(errors, "binary mode"));
        if (message.Body.Span.Trim(" \t\r\n"u8).IsEmpty)
            return (null, Rejection.BadRequest("malformed-request",
                "The body (the event's data) is empty; send the event's fields as a JSON object."));

        try { Formatter.DecodeBinaryModeEventData(message.Body, read); }
        catch (JsonException e) { return (null, NotJson("The body (the event's data)", e)); }
        var judged = Judged(read, Field, errors);
        return judged is null ? (null, NotCloudEvents(errors, "binary mode")) : ([judged], null);
    }

    /// <summary>
    /// Our own rules on what the SDK read; the event in its stored form (the structured JSON as sent, else as the SDK
    /// writes it), or null with the errors added.
    /// </summary>
    private static CloudEvent? Judged(
        Sdk.CloudEvent read, Func<string, string> field, Dictionary<string, string[]> errors, string? structured = null)
    {
        var problems = CloudEventRules.Check(read);
        // In the sender's names: 'ce-id' for a header, '[3].id' for an item of a batch.
        foreach (var (name, message) in problems)
            errors[field(name)] = [message.Replace($"'{name}'", $"'{field(name).Split('.')[^1]}'")];
        if (problems.Count > 0) return null;
        var stored = structured ?? Write(read);
        return new CloudEvent(read.Id!, read.Source!.OriginalString, read.Type!, read.Subject, read.Time,
            read.Data is JsonElement data ? data : null, stored);
    }

    /// <summary>An event in the form we store and export: its structured JSON, written by the SDK.</summary>
    public static string Write(Sdk.CloudEvent cloudEvent) =>
        Encoding.UTF8.GetString(Formatter.EncodeStructuredModeMessage(cloudEvent, out _).Span);

    private static Rejection NotJson(string what, JsonException e) =>
        Rejection.BadRequest("malformed-request", $"{what} is not valid JSON ({e.Message.Split('.')[0]}).");

    private static Rejection NotCloudEvents(Dictionary<string, string[]> errors, string mode) =>
        new("not-cloudevents", 400, $"The message is not CloudEvents 1.0 in {mode}: " +
            string.Join(" ", errors.Select(kv => $"{kv.Key}: {kv.Value[0]}")))
        {
            FieldErrors = errors,
        };
}

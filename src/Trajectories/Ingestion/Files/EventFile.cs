using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using CsvHelper;
using CsvHelper.Configuration;
using Trajectories.Careers;

namespace Trajectories.Ingestion.Files;

/// <summary>One line of an import file: a CloudEvent, or why the line is not one (with its rule).</summary>
public sealed record FileLine(int Line, CloudEvent? Event, Rejection? Refusal);

/// <summary>
/// A file that cannot be imported at all (missing, unknown format, a header no event has): one line of text.
/// </summary>
public sealed class EventFileException(string message) : Exception(message);

/// <summary>
/// Reads the two import formats into CloudEvents, judged line by line as the HTTP endpoint judges a body:
/// JSONL, one structured-mode CloudEvent per line; CSV with the columns of docs/ingestion/README.md (id, source,
/// type, subject, time, and the event's data fields by their JSON names).
/// </summary>
public static class EventFile
{
    public static readonly string[] EnvelopeColumns = ["id", "source", "type", "subject", "time"];

    public static List<FileLine> Read(string path, string? defaultSource)
    {
        if (!File.Exists(path)) throw new EventFileException($"no such file: {path}");
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".jsonl" or ".ndjson" => ReadJsonLines(File.ReadAllBytes(path)),
            ".csv" => ReadCsv(path, defaultSource),
            var other => throw new EventFileException($"{path}: '{other}' files are not imported; use .csv or .jsonl"),
        };
    }

    public static List<FileLine> ReadJsonLines(byte[] bytes)
    {
        var lines = new List<FileLine>();
        var start = 0;
        var number = 0;
        // A UTF-8 byte order mark is allowed before the first line.
        if (bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble)) start = 3;
        while (start < bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            if (end < 0) end = bytes.Length;
            number++;
            var line = bytes.AsMemory(start, end - start);
            if (line.Length > 0 && line.Span[^1] == '\r') line = line[..^1];
            start = end + 1;
            if (line.Span.Trim(" \t"u8).Length == 0) continue;
            if (line.Span.TrimStart(" \t"u8)[0] == '[')
            {
                lines.Add(new FileLine(number, null, Rejection.BadRequest(
                    "not-cloudevents", "Each line holds one CloudEvent (a JSON object), not a batch.")));
                continue;
            }
            var (events, refusal) = CloudEvents.Read(line);
            lines.Add(new FileLine(number, events?[0], refusal));
        }
        return lines;
    }

    private static List<FileLine> ReadCsv(string path, string? defaultSource)
    {
        using var reader = new StreamReader(path, new UTF8Encoding(false, throwOnInvalidBytes: true));
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            TrimOptions = TrimOptions.Trim, DetectColumnCountChanges = false, BadDataFound = null,
        };
        using var csv = new CsvReader(reader, config);
        try
        {
            if (!csv.Read() || !csv.ReadHeader())
                throw new EventFileException($"{path}: the file is empty; the first line names the columns");
        }
        catch (DecoderFallbackException) { throw new EventFileException($"{path}: the file is not UTF-8 text"); }
        var header = csv.HeaderRecord!.Select(h => h.Trim()).ToArray();
        var known = Fields.Keys.Concat(EnvelopeColumns).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (header.FirstOrDefault(h => !known.Contains(h)) is { } unknown)
            throw new EventFileException(
                $"{path}: column '{unknown}' is not an event field (columns: " +
                $"{string.Join(", ", EnvelopeColumns)} and the data fields of docs/ingestion/schemas)");
        foreach (var required in new[] { "id", "type" })
            if (!header.Contains(required, StringComparer.OrdinalIgnoreCase))
                throw new EventFileException($"{path}: the '{required}' column is missing");
        if (defaultSource is null && !header.Contains("source", StringComparer.OrdinalIgnoreCase))
            throw new EventFileException($"{path}: the 'source' column is missing (or give --source)");

        var lines = new List<FileLine>();
        while (true)
        {
            try
            {
                if (!csv.Read()) break;
            }
            catch (DecoderFallbackException)
            {
                throw new EventFileException($"{path}: the file is not UTF-8 text (near line {csv.Parser.RawRow})");
            }
            var number = csv.Parser.RawRow;
            var cells = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < header.Length; i++)
                if (csv.TryGetField(i, out string? value) && !string.IsNullOrEmpty(value)) cells[header[i]] = value;
            if (cells.Count == 0) continue;
            lines.Add(CsvLine(number, cells, defaultSource));
        }
        return lines;
    }

    private static FileLine CsvLine(int number, Dictionary<string, string> cells, string? defaultSource)
    {
        string? Cell(string name) => cells.GetValueOrDefault(name);
        var kind = Cell("type") ?? "";
        var type = IngestType.Find(kind) ?? IngestType.Find(IngestType.Prefix + kind + IngestType.Suffix);
        var cloudEvent = new JsonObject
        {
            ["specversion"] = "1.0", ["id"] = Cell("id"), ["source"] = Cell("source") ?? defaultSource,
            ["type"] = type?.CloudEventType ?? kind, ["subject"] = Cell("subject"), ["time"] = Cell("time"),
        };
        if (type is not null)
        {
            var properties = FieldsOf(type.Data);
            var data = new JsonObject();
            foreach (var (column, text) in cells)
            {
                if (EnvelopeColumns.Contains(column, StringComparer.OrdinalIgnoreCase)) continue;
                if (!properties.TryGetValue(column, out var property))
                    return new FileLine(number, null, new Rejection("field-not-applicable", 422,
                        $"'{column}' is not a field of {type.Kind} events; leave it empty on this line."));
                data[property.Name] = Value(property.Type, text);
            }
            cloudEvent["data"] = data;
        }
        var (events, refusal) = CloudEvents.Read(Encoding.UTF8.GetBytes(cloudEvent.ToJsonString()));
        return new FileLine(number, events?[0], refusal);
    }

    /// <summary>
    /// A cell as the JSON value its field takes; text that is not one stays a string for the event's checks to
    /// refuse.
    /// </summary>
    private static JsonNode? Value(Type type, string text)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(decimal) || type == typeof(int))
            return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var d)
                ? JsonValue.Create(d)
                : JsonValue.Create(text);
        if (type == typeof(bool))
            return text.ToLowerInvariant() switch
            {
                "true" or "yes" or "1" => JsonValue.Create(true),
                "false" or "no" or "0" => JsonValue.Create(false),
                _ => JsonValue.Create(text),
            };
        return JsonValue.Create(text);
    }

    private sealed record Field(string Name, Type Type);

    /// <summary>Every data field of every type, by JSON name (camelCase, as in the schemas).</summary>
    private static readonly Dictionary<string, Field> Fields = IngestType.All
        .SelectMany(t => FieldsOf(t.Data).Values).DistinctBy(f => f.Name, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    private static Dictionary<string, Field> FieldsOf(Type data) => data
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Select(p => new Field(CareerJson.Options.PropertyNamingPolicy!.ConvertName(p.Name), p.PropertyType))
        .ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The CSV header that covers every field, in a stable order (the example file and the docs use it).
    /// </summary>
    public static IReadOnlyList<string> AllColumns => [.. EnvelopeColumns, .. Fields.Keys];
}

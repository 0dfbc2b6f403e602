using System.Globalization;
using System.Net.Mime;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sdk = CloudNative.CloudEvents;

namespace Trajectories.Ingestion;

/// <summary>
/// What we ask of a CloudEvent beyond the spec, which the SDK checks: attributes short, visible and without surrounding
/// white space, data that is JSON. And the SDK's refusals said in the words of our other errors ('id' is required).
/// </summary>
public static partial class CloudEventRules
{
    /// <summary>Attribute names with the problem of each; empty when the event is one we read.</summary>
    public static List<(string Field, string Message)> Check(Sdk.CloudEvent read)
    {
        var problems = new List<(string, string)>();
        foreach (var (attribute, value) in read.GetPopulatedAttributes())
        {
            // Text only: timestamps, booleans and integers the SDK parsed cannot hold what these rules look for.
            if (value is not (string or Uri)) continue;
            var name = attribute.Name;
            var text = value as string ?? ((Uri)value).OriginalString;
            var max = name switch { "source" => 512, "datacontenttype" => 100, _ => 256 };
            if (text.Length > max) problems.Add((name, $"'{name}' is longer than {max} characters."));
            // Attributes are stored as text, which cannot hold NUL; none of them has a use for control characters.
            else if (text.Any(c => char.IsControl(c) || char.IsSurrogate(c)
                         || char.GetUnicodeCategory(c) == UnicodeCategory.Format))
                problems.Add((name, $"'{name}' holds control, invisible or unpaired characters."));
            // "urn:tx:board " would look like another sender's source in the timeline.
            else if (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])))
                problems.Add((name, $"'{name}' must not begin or end with white space."));
        }
        // A whole CloudEvent as the data (sent wrapped in another, or as a binary event's body): no event's data has
        // a specversion, and the same event must not read one way in one mode and another way in the other.
        if (read.Data is JsonElement { ValueKind: JsonValueKind.Object } wrapped
            && wrapped.TryGetProperty("specversion", out _))
            problems.Add(("data", "'data' is itself a CloudEvent (it has 'specversion'): send the event once, " +
                                  "not wrapped in another."));
        if (read.DataContentType is { } type && !IsJson(type))
            problems.Add(("datacontenttype", "Only JSON data is taken ('datacontenttype' application/json)."));
        else if (read.Data is byte[])
            problems.Add(("data_base64", "Binary data is not taken; send 'data' as JSON."));
        else if (read.Data is not (null or JsonElement))
            problems.Add(("data", "'data' is JSON."));
        return problems;
    }

    /// <summary>
    /// Why a binary-mode Content-Type cannot carry our data (null when it can): the SDK reads a body as JSON only when
    /// the media type is application/json.
    /// </summary>
    public static string? BinaryDataProblem(string contentType) =>
        Parse(contentType) is { } parsed && parsed.MediaType == "application/json" && Utf8(parsed)
            ? null
            : $"The data (the body) is JSON: send Content-Type application/json, not '{contentType}'.";

    /// <summary>The media type in lower case, parameters dropped; null when it is not one.</summary>
    public static string? MediaType(string? contentType) =>
        contentType is null ? null : Parse(contentType)?.MediaType;

    /// <summary>The content type with its media type in lower case (parameters kept).</summary>
    public static string Normalized(string contentType) => Parse(contentType)?.ToString() ?? contentType;

    private static bool IsJson(string contentType) =>
        Parse(contentType) is { } parsed && Utf8(parsed)
        && (parsed.MediaType == "application/json" || parsed.MediaType.EndsWith("+json", StringComparison.Ordinal));

    private static bool Utf8(ContentType type) =>
        type.CharSet is null || type.CharSet.Equals("utf-8", StringComparison.OrdinalIgnoreCase);

    private static ContentType? Parse(string contentType)
    {
        try
        {
            var parsed = new ContentType(contentType);
            parsed.MediaType = parsed.MediaType.ToLowerInvariant();
            return parsed;
        }
        catch (FormatException) { return null; }
    }

    /// <summary>An SDK refusal as field errors in our words (the SDK's own text where we have none).</summary>
    public static IEnumerable<(string Field, string Message)> Explain(Exception e)
    {
        var text = e is ArgumentException { ParamName: { } p }
            ? e.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal)
            : e.Message;
        if (MissingRequired().Match(text) is { Success: true } missing)
        {
            foreach (var name in missing.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries))
                yield return (name, $"'{name}' is required.");
            yield break;
        }
        if (text.StartsWith("Structured mode content does not represent", StringComparison.Ordinal))
        {
            yield return ("specversion", "'specversion' is required (\"1.0\").");
            yield break;
        }
        if (text.StartsWith("Unsupported CloudEvents spec version", StringComparison.Ordinal))
        {
            yield return ("specversion", "'specversion' must be \"1.0\".");
            yield break;
        }
        if (text.StartsWith("CloudEvents with a non-JSON datacontenttype", StringComparison.Ordinal))
        {
            yield return ("datacontenttype", "Only JSON data is taken: 'datacontenttype' application/json, in lower " +
                                             "case as the CNCF SDK reads it.");
            yield break;
        }
        if (text.Contains("'data' and 'data_base64'", StringComparison.Ordinal))
        {
            yield return ("data_base64", "Binary data is not taken; send 'data' as JSON.");
            yield break;
        }
        if (BadName().Match(text) is { Success: true } badName)
        {
            var name = badName.Groups[1].Value;
            yield return (name, $"'{name}' is not an attribute name (lower-case letters and digits only).");
            yield break;
        }
        if (Attribute().Match(text) is { Success: true } attribute)
        {
            var name = attribute.Groups[1].Value;
            yield return (name, text switch
            {
                _ when text.StartsWith("Invalid token type", StringComparison.Ordinal) =>
                    name == "time" ? "'time' is an RFC 3339 timestamp." : $"'{name}' is a string.",
                _ when name == "time" => "'time' is an RFC 3339 timestamp.",
                _ when text.Contains("must be non-empty", StringComparison.Ordinal) => $"'{name}' must not be empty.",
                _ when text.Contains("character", StringComparison.OrdinalIgnoreCase) =>
                    $"'{name}' holds control, invisible or unpaired characters.",
                _ => $"'{name}' is not valid: {text[(text.IndexOf(':') + 1)..].Trim()}",
            });
            yield break;
        }
        if (e is FormatException or InvalidOperationException)
        {
            yield return ("$", "An attribute holds a value CloudEvents does not allow (extension attributes are " +
                               "strings, booleans or whole numbers; data_base64 is base64).");
            yield break;
        }
        yield return ("$", text);
    }

    [GeneratedRegex("missing required attributes: (.+)$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex("in attribute name '([^']*)'")]
    private static partial Regex BadName();

    [GeneratedRegex("attribute '([^']*)'")]
    private static partial Regex Attribute();
}

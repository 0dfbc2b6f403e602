using System.Text.RegularExpressions;

namespace Trajectories.Hosting;

/// <summary>
/// The framework's own 400 details name .NET types ("could not be converted to Trajectories.Careers.Hiring.Hire",
/// "cannot be parsed to the expected type int"). These say the same in the words of the API's fields.
/// </summary>
public static partial class PlainWords
{
    public static string For(string detail)
    {
        if (Converted().Match(detail) is { Success: true } body)
        {
            var field = body.Groups["path"].Value.TrimStart('$', '.');
            return field.Length == 0
                ? "The body is not a JSON object of the fields this endpoint takes."
                : $"'{field}' does not have the expected kind of value (text, a number, true or false, a date as "
                  + "YYYY-MM-DD, or an id, as the API documentation says for that field).";
        }
        if (Parsed().Match(detail) is { Success: true } query)
            return $"'{query.Groups["name"].Value}' must be {Kind(query.Groups["type"].Value)}.";
        return detail;
    }

    private static string Kind(string type) => type switch
    {
        "int" or "long" or "Int32" or "Int64" => "a whole number",
        "decimal" or "double" or "Decimal" or "Double" => "a number",
        "bool" or "Boolean" => "true or false",
        "DateOnly" => "a date as YYYY-MM-DD",
        "Guid" => "an id (a UUID)",
        _ => "a value of the documented kind",
    };

    [GeneratedRegex(@"could not be converted to [\w.`+\[\], ]+?\. Path: (?<path>\$[^ |]*)")]
    private static partial Regex Converted();

    [GeneratedRegex(
        @"parameter '(?<name>[^']+)' has the value '.*' which cannot be parsed to the expected type (?<type>[\w.]+)")]
    private static partial Regex Parsed();
}

using Microsoft.Extensions.Primitives;

namespace Trajectories.Careers;

/// <summary>
/// A caller's correlation id (X-Correlation-Id over HTTP, the message's correlation id over RabbitMQ) is kept with
/// what it recorded only when it is a plain token: 1-100 letters, digits and - _ . : after trimming. Anything else
/// is ignored and the service's own id is used, on every channel alike.
/// </summary>
public static class CorrelationIds
{
    public const string Header = "X-Correlation-Id";

    public static string? Accepted(StringValues presented) => presented.Count == 1 ? Accepted(presented[0]) : null;

    public static string? Accepted(string? presented)
    {
        var value = presented?.Trim();
        return value is { Length: > 0 and <= 100 }
               && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')
            ? value
            : null;
    }
}

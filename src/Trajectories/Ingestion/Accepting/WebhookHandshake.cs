using Trajectories.Careers;

namespace Trajectories.Ingestion;

/// <summary>
/// Which webhook senders may deliver to the ingest endpoint (Ingest:Webhook:AllowedOrigins, "*" for any), and the rate
/// granted to them: the ingestion rate limit per key, in requests per minute.
/// </summary>
public sealed record WebhookSettings(IReadOnlyList<string> AllowedOrigins, int RequestsPerMinute)
{
    public const string Section = "Ingest:Webhook:AllowedOrigins";

    public static WebhookSettings From(IConfiguration configuration, int requestsPerSecond) => new(
        (configuration.GetSection(Section).Get<string[]>() ?? [])
            .Concat(configuration[Section]?.Split(',') ?? [])
            .Select(o => o.Trim()).Where(o => o.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
        Math.Max(1, requestsPerSecond) * 60);

    /// <summary>Whether an origin may deliver; "board.example.org." (fully qualified) is the same name.</summary>
    public bool Allows(string origin) => AllowedOrigins.Any(o =>
        o == "*" || o.TrimEnd('.').Equals(origin.TrimEnd('.'), StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The abuse-protection handshake of the CloudEvents webhook spec (http-webhook.md, section 4): a sender asks with
/// <c>OPTIONS</c> and <c>WebHook-Request-Origin</c> whether it may deliver here, before it does. It asks without
/// credentials (Azure Event Grid and others do), so this answers anyone, and tells them only whether the origin they
/// named is allowed; deliveries themselves still need an integration key. No callback is ever made
/// (<c>WebHook-Request-Callback</c> is ignored): the service calls out to nobody.
/// </summary>
public static partial class WebhookHandshake
{
    public const string RequestOrigin = "WebHook-Request-Origin";
    public const string RequestRate = "WebHook-Request-Rate";
    public const string AllowedOrigin = "WebHook-Allowed-Origin";
    public const string AllowedRate = "WebHook-Allowed-Rate";

    public static void MapWebhookHandshake(this WebApplication app) =>
        app.MapMethods("/api/ingest/events", [HttpMethods.Options], Answer)
            .AllowAnonymous().WithTags("Ingestion").WithName("WebhookHandshake")
            .WithSummary("The CloudEvents webhook handshake: may this origin deliver here, and how often")
            .Produces(StatusCodes.Status200OK).ProducesProblem(400).ProducesProblem(403);

    public static IResult Answer(HttpContext context, WebhookSettings settings)
    {
        var request = context.Request;
        context.Response.Headers.Allow = "POST, OPTIONS";
        var origins = request.Headers[RequestOrigin];
        if (origins.Count == 0)
            return Rejection.BadRequest("webhook-origin-missing",
                $"OPTIONS on this endpoint is the CloudEvents webhook handshake: send '{RequestOrigin}' with the " +
                "DNS name of the system that will deliver (for example board.example.org).").ToProblem();
        var origin = origins.Count == 1 ? origins[0]!.Trim() : "";
        if (!DnsName().IsMatch(origin))
            return Rejection.BadRequest("webhook-origin-invalid",
                $"'{RequestOrigin}' holds one DNS name (labels of letters, digits and inner hyphens, joined by " +
                "dots), once.").ToProblem();
        var rate = settings.RequestsPerMinute;
        if (request.Headers[RequestRate] is { Count: > 0 } asked)
        {
            if (asked.Count > 1 || !long.TryParse(asked[0], System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out var wanted) || wanted < 1)
                return Rejection.BadRequest("webhook-rate-invalid",
                    $"'{RequestRate}' is a whole number of requests per minute, above zero.").ToProblem();
            rate = (int)Math.Min(rate, wanted);
        }
        if (!settings.Allows(origin))
            return new Rejection("webhook-origin-not-allowed", 403,
                $"'{origin}' is not an origin this service takes webhook deliveries from; an admin can allow it " +
                $"with the setting {WebhookSettings.Section}.").ToProblem();
        context.Response.Headers[AllowedOrigin] = origin;  // as asked, which the spec requires
        context.Response.Headers[AllowedRate] = rate.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Ok();
    }

    /// <summary>A DNS name: labels of 1-63 letters, digits and inner hyphens; a final dot (the root) allowed.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(
        @"^(?=.{1,254}$)" + Label + @"(?:\." + Label + @")*\.?$")]
    private static partial System.Text.RegularExpressions.Regex DnsName();

    private const string Label = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
}

using Trajectories.Careers;

namespace Trajectories.Ingestion;

/// <summary>
/// Which webhook senders may deliver to the ingest endpoint (Ingest:Webhook:AllowedOrigins, "*" for any), and the rate
/// granted to them: the ingestion rate limit per key, in requests per minute.
/// </summary>
public sealed record WebhookSettings(IReadOnlyList<string> AllowedOrigins, int RequestsPerMinute)
{
    public const string Section = "Ingest:Webhook:AllowedOrigins";

    public static WebhookSettings From(IConfiguration configuration) => new(
        (configuration.GetSection(Section).Get<string[]>() ?? [])
            .Concat(configuration[Section]?.Split(',') ?? [])
            .Select(o => o.Trim()).Where(o => o.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
        Math.Max(1, configuration.GetValue("Ingest:RequestsPerSecond", 100)) * 60);

    public bool Allows(string origin) =>
        AllowedOrigins.Any(o => o == "*" || o.Equals(origin, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The abuse-protection handshake of the CloudEvents webhook spec (http-webhook.md, section 4): a sender asks with
/// <c>OPTIONS</c> and <c>WebHook-Request-Origin</c> whether it may deliver here, before it does. It asks without
/// credentials (Azure Event Grid and others do), so this answers anyone, and tells them only whether the origin they
/// named is allowed; deliveries themselves still need an integration key. No callback is ever made
/// (<c>WebHook-Request-Callback</c> is ignored): the service calls out to nobody.
/// </summary>
public static class WebhookHandshake
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
        if (origin.Length is 0 or > 253 || !origin.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':'))
            return Rejection.BadRequest("webhook-origin-invalid",
                $"'{RequestOrigin}' holds one DNS name (letters, digits, dots and hyphens), once.").ToProblem();
        var rate = settings.RequestsPerMinute;
        if (request.Headers[RequestRate] is { Count: > 0 } asked)
        {
            if (asked.Count > 1 || !int.TryParse(asked[0], out var wanted) || wanted < 1)
                return Rejection.BadRequest("webhook-rate-invalid",
                    $"'{RequestRate}' is a whole number of requests per minute, above zero.").ToProblem();
            rate = Math.Min(rate, wanted);
        }
        if (!settings.Allows(origin))
            return new Rejection("webhook-origin-not-allowed", 403,
                $"'{origin}' is not an origin this service takes webhook deliveries from; an admin can allow it " +
                $"with the setting {WebhookSettings.Section}.").ToProblem();
        context.Response.Headers[AllowedOrigin] = origin;
        context.Response.Headers[AllowedRate] = rate.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Ok();
    }
}

using System.Security.Cryptography;
using Trajectories.Careers;

namespace Trajectories.Retries;

/// <summary>
/// The Idempotency-Key request header (IETF httpapi draft) on every POST that records something: the first request
/// with a key runs and its answer is kept; the same key with the same request answers that answer again and records
/// nothing; the same key with another request is a 422; a key whose first request is still running is a 409. Keys
/// belong to the caller (key id or token subject), so two callers never share one.
/// </summary>
public sealed class IdempotencyMiddleware(
    RequestDelegate next, IdempotencyKeys keys, IdempotencySettings settings, TimeProvider clock)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method)
            || !context.Request.Headers.TryGetValue(Header, out var presented)
            || context.User.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }
        var key = presented.ToString();
        if (presented.Count != 1 || key.Length is 0 or > MaxKeyLength || key.Any(c => c is < ' ' or > '~'))
        {
            await Refuse(context, new Rejection("invalid-idempotency-key", 400,
                $"'{Header}' is one value of 1 to {MaxKeyLength} printable ASCII characters (a UUID is a good key).",
                Header));
            return;
        }

        context.Request.EnableBuffering();
        var fingerprint = await FingerprintAsync(context.Request, context.RequestAborted);
        var owner = Caller.From(context.User).RecordedBy;
        var held = await keys.ClaimAsync(owner, key, fingerprint, settings.KeepFor, context.RequestAborted);
        if (!held.Claimed)
        {
            await AnswerAgain(context, held, fingerprint);
            return;
        }

        context.Items[IdempotencyListener.ItemKey] = held;
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        catch
        {
            context.Response.Body = original;
            await keys.ReleaseAsync(held);
            throw;
        }
        context.Response.Body = original;
        var status = context.Response.StatusCode;
        // A 5xx is the service's failure, not an answer to the request: a retry should run it again.
        if (status >= 500) await keys.ReleaseAsync(held);
        else
            await keys.AnswerAsync(held, status, context.Response.ContentType, context.Response.Headers.Location,
                buffer.ToArray(), CancellationToken.None);
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private async Task AnswerAgain(HttpContext context, IdempotencyKey held, string fingerprint)
    {
        if (held.Fingerprint != fingerprint)
        {
            await Refuse(context, new Rejection("idempotency-key-reused", 422,
                $"This {Header} was used for a different request (another path or body); use a new key for it.",
                Header));
            return;
        }
        if (!held.Answered)
        {
            // Committed moments ago is still running (its answer is being kept); committed and silent past the
            // lease is a request that died between its commit and its answer.
            var lost = held.CommittedAt is not null && held.StartedAt < clock.GetUtcNow() - IdempotencySettings.Lease;
            var rejection = !lost
                ? new Rejection("idempotency-key-in-progress", 409,
                    $"The first request with this {Header} is still running; retry in a moment.", Header)
                : new Rejection("idempotency-answer-lost", 409,
                    $"The first request with this {Header} was recorded at {held.CommittedAt:u}, but the service "
                    + "stopped before it could answer. Nothing was recorded again; read the record to see it.", Header);
            context.Response.Headers.RetryAfter = "1";
            await Refuse(context, rejection);
            return;
        }
        context.Response.StatusCode = held.Status!.Value;
        context.Response.Headers[ReplayedHeader] = "true";
        if (held.ContentType is { } type) context.Response.ContentType = type;
        if (held.Location is { } location) context.Response.Headers.Location = location;
        await context.Response.Body.WriteAsync(held.Body ?? [], context.RequestAborted);
    }

    private static Task Refuse(HttpContext context, Rejection rejection) => rejection.ToProblem().ExecuteAsync(context);

    /// <summary>
    /// SHA-256 of what makes two requests the same: method, path, query, content type, the ce- headers (a binary-mode
    /// CloudEvent's attributes: two events with one body and different ids are different requests) and body.
    /// </summary>
    private static async Task<string> FingerprintAsync(HttpRequest request, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var attributes = request.Headers
            .Where(h => h.Key.StartsWith("ce-", StringComparison.OrdinalIgnoreCase))
            // One line per value: "ce-foo: a" twice is not "ce-foo: a,b" once (header values hold no line breaks).
            .SelectMany(h => h.Value.Select(v => $"{h.Key.ToLowerInvariant()}:{v}\n")).Order(StringComparer.Ordinal)
            .ToList();
        // Without ce- headers the fingerprint is the one earlier versions stored, so their held keys still match.
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(
            $"{request.Method}\n{request.Path}\n{request.QueryString}\n{request.ContentType}\n" +
            (attributes.Count == 0 ? "" : "ce\n" + string.Concat(attributes))));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0) hash.AppendData(chunk, 0, read);
        request.Body.Position = 0;
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}

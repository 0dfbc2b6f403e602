using System.Text.Json;
using JasperFx.Events;
using JasperFx;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using Trajectories.Careers;

namespace Trajectories.Hosting;

/// <summary>
/// Turns the exceptions that user input or a race can cause into problem details, so none of them is a 500:
/// an unreadable body is a 400, a lost optimistic-concurrency race or a unique-index hit is a 409.
/// </summary>
public sealed class ExceptionProblems(ILogger<ExceptionProblems> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var rejection = Classify(exception);
        if (rejection is null) return false;
        logger.LogInformation("Request refused ({Rule}): {Type}", rejection.Rule, exception.GetType().Name);
        await rejection.ToProblem().ExecuteAsync(context);
        return true;
    }

    public static Rejection? Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                    return new Rejection("request-too-large", 413,
                        "The request body is larger than this endpoint accepts (Http:MaxRequestBodyBytes).");
                case JsonException or BadHttpRequestException or FormatException:
                    return Rejection.BadRequest("malformed-request",
                        "The request body is not valid JSON of the expected shape" +
                        (e is JsonException { Path: { } path } ? $" (at {path})." : "."));
                case ConcurrencyException or EventStreamUnexpectedMaxEventIdException
                    or JasperFx.Events.ExistingStreamIdCollisionException:
                    return Rejection.Conflict("concurrent-write",
                        "Another change to this specialist was recorded at the same time; " +
                        "read the record again and retry.");
                case Retention.Disclosure.ReleaseNotReadyException notReady:
                    return new Rejection("release-not-ready", 503,
                        "Analysts' figures for this month are being prepared: the recorded events are still being " +
                        $"counted ({notReady.Message}). Try again in a minute.");
                case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg
                    when pg.ConstraintName?.Contains("certification") == true:
                    return Rejection.Conflict("duplicate-certification-number",
                        "That certification number is already registered in that state.", "certificationNumber");
            }
        }
        return null;
    }
}

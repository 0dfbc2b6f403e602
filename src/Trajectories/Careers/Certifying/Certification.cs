using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Trajectories.Careers.Certifying;

public sealed record RenewCertification(DateOnly? RenewedOn, DateOnly? ExpiresOn);

public sealed record LapseCertification(DateOnly? LapsedOn);

public static class RenewCertificationEndpoint
{
    /// <summary>
    /// The request's fields read into its event; a correction of the event is read again here. Not named Validate:
    /// Wolverine would run a method of that name before the endpoint, as middleware.
    /// </summary>
    public static (CertificationRenewed?, RequestErrors) Read(RenewCertification command, DateOnly today)
    {
        var errors = new RequestErrors();
        var on = errors.NotInFuture(command.RenewedOn, "renewedOn", today);
        if (command.ExpiresOn is { } expires && on is { } renewed && expires <= renewed)
            errors.Add("expiresOn", "expiry-before-renewal", "'expiresOn' must be after 'renewedOn'.");
        return (errors.Any ? null : new CertificationRenewed(on!.Value, command.ExpiresOn), errors);
    }

    public static Decision Decide(RenewCertification command, Specialist specialist, DateOnly today) =>
        CareerDecider.Admit(Read(command, today), specialist, today);

    [WolverinePost("/api/specialists/{id}/renewals",
        Summary = "Record a certification renewal"), Access(Roles.Staff), Tags("Careers")]
    [ProducesResponseType<Appended.Response>(201)]
    public static (IResult, Events) Post(RenewCertification command, [WriteAggregate("id")] Specialist specialist,
        TimeProvider clock)
        => Decide(command, specialist, clock.Today()).ToHttp(specialist);
}

public static class LapseCertificationEndpoint
{
    /// <summary>
    /// The request's fields read into its event; a correction of the event is read again here. Not named Validate:
    /// Wolverine would run a method of that name before the endpoint, as middleware.
    /// </summary>
    public static (CertificationLapsed?, RequestErrors) Read(LapseCertification command, DateOnly today)
    {
        var errors = new RequestErrors();
        var on = errors.NotInFuture(command.LapsedOn, "lapsedOn", today);
        return (errors.Any ? null : new CertificationLapsed(on!.Value), errors);
    }

    public static Decision Decide(LapseCertification command, Specialist specialist, DateOnly today) =>
        CareerDecider.Admit(Read(command, today), specialist, today);

    [WolverinePost("/api/specialists/{id}/lapses",
        Summary = "Record a certification lapse"), Access(Roles.Staff), Tags("Careers")]
    [ProducesResponseType<Appended.Response>(201)]
    public static (IResult, Events) Post(LapseCertification command, [WriteAggregate("id")] Specialist specialist,
        TimeProvider clock)
        => Decide(command, specialist, clock.Today()).ToHttp(specialist);
}

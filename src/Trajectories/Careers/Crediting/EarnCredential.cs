using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Trajectories.Careers.Crediting;

/// <summary>
/// A training or credential completed, e.g. CADC or QMHA: the usual way up the career ladder leads here.
/// </summary>
public sealed record EarnCredential(string? Credential, DateOnly? EarnedOn);

public static class EarnCredentialEndpoint
{
    /// <summary>
    /// The request's fields read into its event; a correction of the event is read again here. Not named Validate:
    /// Wolverine would run a method of that name before the endpoint, as middleware.
    /// </summary>
    public static (CredentialEarned?, RequestErrors) Read(EarnCredential command, DateOnly today)
    {
        var errors = new RequestErrors();
        var credential = errors.Required(command.Credential, "credential", 100);
        var on = errors.NotInFuture(command.EarnedOn, "earnedOn", today);
        return (errors.Any ? null : new CredentialEarned(credential, on!.Value), errors);
    }

    public static Decision Decide(EarnCredential command, Specialist specialist, DateOnly today) =>
        CareerDecider.Admit(Read(command, today), specialist, today);

    [WolverinePost("/api/specialists/{id}/credentials",
        Summary = "Record a credential earned"), Access(Roles.Staff), Tags("Careers")]
    [ProducesResponseType<Appended.Response>(201)]
    public static (IResult, Events) Post(EarnCredential command, [WriteAggregate("id")] Specialist specialist,
        TimeProvider clock)
        => Decide(command, specialist, clock.Today()).ToHttp(specialist);
}

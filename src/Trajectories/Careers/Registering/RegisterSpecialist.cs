using Microsoft.AspNetCore.Mvc;
using Marten;
using Wolverine.Http;
using Wolverine.Marten;

namespace Trajectories.Careers.Registering;

public sealed record RegisterSpecialist(
    string? Name, string? State, string? Credential, string? CertificationNumber, DateOnly? CertifiedOn,
    string? County, bool? Rural, bool? Mhpsa, DateOnly? ObservationStart);

public sealed record SpecialistRegistered(Guid Id);

public static class RegisterSpecialistEndpoint
{
    /// <summary>Everything about a registration that the request alone decides.</summary>
    public static (SpecialistCertified?, RequestErrors) Read(RegisterSpecialist command, DateOnly today)
    {
        var errors = new RequestErrors();
        var certified = new SpecialistCertified(
            errors.Required(command.Name, "name"),
            errors.StateCode(command.State, "state"),
            errors.OneOf(command.Credential, Vocabulary.Credentials, "credential"),
            errors.Required(command.CertificationNumber, "certificationNumber", 64),
            errors.NotInFuture(command.CertifiedOn, "certifiedOn", today) ?? default,
            errors.Required(command.County, "county"),
            errors.Required(command.Rural, "rural") ?? false,
            errors.Required(command.Mhpsa, "mhpsa") ?? false,
            errors.NotInFuture(command.ObservationStart, "observationStart", today, required: false));
        if (certified.ObservationStart < certified.CertifiedOn)
            errors.Add("observationStart", "observation-before-certification",
                "'observationStart' cannot be before 'certifiedOn'.");
        return (errors.Any ? null : certified, errors);
    }

    /// <summary>
    /// The one decision of a registration, for the staff endpoint and every ingestion channel: the request's fields,
    /// the caller's scope, and the number's uniqueness in its state.
    /// </summary>
    public static async ValueTask<Decision> DecideAsync(RegisterSpecialist command, Caller caller, DateOnly today,
        NumberHolder holder)
    {
        var (certified, errors) = Read(command, today);
        if (certified is null) return errors.AsRejection();
        if (!caller.Sees(certified.State)) return Scope.OutOfScope(certified.State, "state");
        // The unique index on (state, certification number) is the backstop for a race; this gives the usual case a
        // clear answer.
        if (await holder(certified.State, certified.CertificationNumber) is { } id)
            return CertificationNumbers.Duplicate(certified.State, certified.CertificationNumber, id);
        return Decision.Accept(certified);
    }

    /// <summary>
    /// Wolverine runs the returned operation (start the stream, or nothing) in the request's transaction.
    /// </summary>
    [WolverinePost("/api/specialists",
        Summary = "Register a certified peer specialist"), Access(Roles.Staff), Tags("Specialists")]
    [ProducesResponseType<SpecialistRegistered>(201)]
    public static async Task<(IResult, IMartenOp)> Post(RegisterSpecialist command, IDocumentSession session,
        TimeProvider clock, HttpContext context)
    {
        var decision = await DecideAsync(command, Caller.From(context.User), clock.Today(),
            CertificationNumbers.In(session));
        if (decision.Rejection is { } rejection) return (rejection.ToProblem(), MartenOps.Nothing());
        var start = MartenOps.StartStream<Specialist>(Guid.CreateVersion7(), [.. decision.Events]);
        return (Results.Created($"/api/specialists/{start.StreamId}", new SpecialistRegistered(start.StreamId)), start);
    }
}

using Trajectories.Access;
using Marten;
using Trajectories.Http;
using Wolverine.Http;

namespace Trajectories.Careers.Registering;

public sealed record RegisterSpecialist(
    string? Name, string? State, string? Credential, string? CertificationNumber, DateOnly? CertifiedOn,
    string? County, bool? Rural, bool? Mhpsa, DateOnly? ObservationStart);

public sealed record SpecialistRegistered(Guid Id);

public static class RegisterSpecialistEndpoint
{
    /// <summary>Everything about a registration that the request alone decides.</summary>
    public static (SpecialistCertified?, RequestErrors) Validate(RegisterSpecialist command, DateOnly today)
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
            errors.Add("observationStart", "observation-before-certification", "'observationStart' cannot be before 'certifiedOn'.");
        return (errors.Any ? null : certified, errors);
    }

    [WolverinePost("/api/specialists"), Access(Roles.Staff), Tags("Specialists")]
    public static async Task<IResult> Post(RegisterSpecialist command, IDocumentSession session, TimeProvider clock, HttpContext context)
    {
        var (certified, errors) = Validate(command, clock.Today());
        if (certified is null) return errors.AsRejection().ToProblem();
        if (!Caller.From(context.User).Sees(certified.State)) return Scope.OutOfScope(certified.State, "state").ToProblem();

        // The unique index on (state, certification number) is the backstop for a race; this gives the usual case a clear answer.
        if (await CertificationNumbers.HolderAsync(session, certified.State, certified.CertificationNumber) is { } holder)
            return CertificationNumbers.Duplicate(certified.State, certified.CertificationNumber, holder).ToProblem();

        var id = Guid.CreateVersion7();
        session.Events.StartStream<Specialist>(id, certified);
        // Wolverine's transactional middleware commits the session after this method returns.
        return Results.Created($"/api/specialists/{id}", new SpecialistRegistered(id));
    }
}

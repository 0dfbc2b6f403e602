using Trajectories.Careers;
using Wolverine.Http;

namespace Trajectories.Careers;

/// <summary>
/// A key limited to some states sees only their people. A person outside the caller's states is answered exactly as
/// a person who does not exist (404 specialist-not-found), so a scoped key cannot even learn that the person exists.
/// </summary>
public static class Scope
{
    public static IResult NotFound(Guid id) => Problems.NotFound("specialist-not-found", $"No specialist has id {id}.");

    public static bool Hides(this HttpContext context, Specialist? specialist) =>
        specialist is not null && !Caller.From(context.User).Sees(specialist.State);

    public static Rejection OutOfScope(string state, string field) =>
        new("state-out-of-scope", 403, $"This key is limited to other states than {state}.", field);
}

/// <summary>
/// Runs on every endpoint that works on one specialist's stream ([WriteAggregate] Specialist), after the stream is
/// fetched and before the command is decided.
/// </summary>
public static class ScopeMiddleware
{
    public static IResult Before(Specialist specialist, HttpContext context) =>
        context.Hides(specialist) ? Scope.NotFound(specialist.Id) : WolverineContinue.Result();
}

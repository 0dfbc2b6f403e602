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

    public const string OutOfScopeRule = "state-out-of-scope";

    public static Rejection OutOfScope(string state, string field) =>
        new(OutOfScopeRule, 403, $"This key is limited to other states than {state}.", field);
}

/// <summary>
/// Runs on every endpoint that works on one specialist ([WriteAggregate] or [ReadAggregate] Specialist), after the
/// snapshot is fetched and before the endpoint runs: a person who is not there and one the key may not see get the
/// same answer, and no endpoint has to remember to ask.
/// </summary>
public static class ScopeMiddleware
{
    public static IResult Before(Specialist? specialist, HttpContext context) =>
        specialist is null || context.Hides(specialist)
            ? Scope.NotFound(specialist?.Id ?? RouteId(context))
            : WolverineContinue.Result();

    private static Guid RouteId(HttpContext context) =>
        Guid.TryParse(context.Request.RouteValues["id"]?.ToString(), out var id) ? id : Guid.Empty;
}

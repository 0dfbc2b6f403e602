using Microsoft.AspNetCore.Mvc;

namespace Trajectories.Careers;

/// <summary>RFC 9457 problem details for refused requests; every problem names its rule in the "rule" member.</summary>
public static class Problems
{
    public const string TypeBase = "https://trajectories.example/problems/";

    public static IResult ToProblem(this Rejection r)
    {
        var problem = r.FieldErrors is { } fieldErrors ? new ValidationProblemDetails(fieldErrors.ToDictionary())
            : r.Field is null ? new ProblemDetails()
            : new ValidationProblemDetails(new Dictionary<string, string[]> { [r.Field] = [r.Detail] });
        problem.Status = r.Status;
        problem.Title = TitleFor(r.Status);
        problem.Detail = r.Detail;
        problem.Type = TypeBase + r.Rule;
        problem.Extensions["rule"] = r.Rule;
        if (r.Field is not null) problem.Extensions["field"] = r.Field;
        // A client links to the person the refusal names (the holder of a certification number) by this member.
        if (r.SpecialistId is { } other) problem.Extensions["specialistId"] = other;
        return Results.Problem(problem);
    }

    public static IResult NotFound(string rule, string detail) => new Rejection(rule, 404, detail).ToProblem();

    public static string TitleFor(int status) => status switch
    {
        400 => "The request is not valid.",
        401 => "Authentication is required.",
        403 => "Forbidden.",
        404 => "Not found.",
        409 => "The request conflicts with the recorded history.",
        413 => "The request is too large.",
        _ => "The request failed.",
    };
}

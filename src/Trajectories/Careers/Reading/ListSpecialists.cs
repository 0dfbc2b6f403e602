using Microsoft.AspNetCore.Mvc;
using Marten;
using Marten.Pagination;
using Wolverine.Http;

namespace Trajectories.Careers.Reading;

public sealed record SpecialistSummary(
    Guid Id, string Name, string State, string Credential, string CertificationNumber, DateOnly CertifiedOn,
    string County, string Status);

public sealed record SpecialistPage(IReadOnlyList<SpecialistSummary> Items, int Page, int PageSize, long Total,
    int PageCount);

public static class ListSpecialistsEndpoint
{
    public const int MaxPageSize = 200;

    /// <summary>Current status, newest registrations first; q matches the name or the certification number.</summary>
    [WolverineGet("/api/specialists", Summary = "Find specialists"), Access(Roles.Staff), Tags("Specialists")]
    [ProducesResponseType<SpecialistPage>(200)]
    public static async Task<IResult> Get(string? state, string? status, string? q, int? page, int? pageSize,
        IQuerySession session, HttpContext context)
    {
        var errors = new RequestErrors();
        if (status is not null) status = errors.OneOf(status, Vocabulary.Status.All, "status");
        errors.Paging(page, pageSize, MaxPageSize);
        if (q is { Length: > 200 }) errors.Add("q", "too-long", "'q' is longer than 200 characters.");
        if (errors.Any) return errors.AsRejection().ToProblem();

        IQueryable<Specialist> query = session.Query<Specialist>();
        // A scoped key lists its states' people only; asking for another state simply finds nobody.
        if (Caller.From(context.User).States is { } scope)
        {
            var states = scope.ToArray();
            query = query.Where(s => states.Contains(s.State));
        }
        if (!string.IsNullOrWhiteSpace(state))
        {
            var code = state.Trim().ToUpperInvariant();
            query = query.Where(s => s.State == code);
        }
        if (!string.IsNullOrWhiteSpace(status)) query = query.Where(s => s.Status == status);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim();
            query = query.Where(s => s.Name.Contains(text, StringComparison.OrdinalIgnoreCase)
                                     || s.CertificationNumber.Contains(text, StringComparison.OrdinalIgnoreCase));
        }

        var number = page ?? 1;
        var size = pageSize ?? 50;
        var found = await query.OrderByDescending(s => s.CertifiedOn).ThenBy(s => s.Id)
            .Select(s => new SpecialistSummary(s.Id, s.Name, s.State, s.Credential, s.CertificationNumber,
                s.CertifiedOn, s.County, s.Status))
            .ToPagedListAsync(number, size);
        return Results.Ok(new SpecialistPage(found.ToList(), number, size, found.TotalItemCount, (int)found.PageCount));
    }
}

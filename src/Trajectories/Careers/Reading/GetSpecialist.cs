using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Trajectories.Careers.Reading;

public sealed record JobView(
    Guid JobId, string Employer, string Title, string JobType, string? Tier, decimal HoursPerWeek, decimal HourlyWage,
    DateOnly StartedOn, int TenureDays);

public sealed record TenureView(int? CurrentJobDays, int PeerWorkDays, int SinceCertificationDays);

public sealed record SpecialistView(
    Guid Id, string Name, string State, string Credential, string CertificationNumber, DateOnly CertifiedOn,
    string County, bool Rural, bool Mhpsa, DateOnly AsOf, string Status, bool CertificationLapsed,
    IReadOnlyList<string> Credentials, IReadOnlyList<JobView> Jobs, TenureView Tenure, long Version);

public static class GetSpecialistEndpoint
{
    /// <summary>
    /// Where a person stands on a date, from the stored history (no stream replay); null before certification.
    /// </summary>
    public static SpecialistView? View(Specialist s, DateOnly asOf)
    {
        var history = s.History();
        if (history.Certification is not { } c || asOf < c.CertifiedOn) return null;
        var state = CareerState.At(history, asOf);
        return new SpecialistView(s.Id, c.Name, c.State, c.Credential, c.CertificationNumber, c.CertifiedOn, c.County,
            c.Rural, c.Mhpsa, asOf, state.Status, state.CertificationHasLapsed, state.Credentials,
            state.CurrentJobs.Select(j => new JobView(j.JobId, j.Employer, j.Title, j.JobType, j.Tier, j.HoursPerWeek,
                j.HourlyWage, j.StartedOn, j.TenureDays(asOf))).ToList(),
            new TenureView(state.CurrentJobDays, state.PeerWorkDays, state.SinceCertificationDays),
            s.Version);
    }

    /// <summary>
    /// [ReadAggregate] loads the snapshot and the scope middleware answers for a missing or hidden person.
    /// </summary>
    [WolverineGet("/api/specialists/{id}",
        Summary = "A specialist's status, jobs and tenure"), Access(Roles.Staff), Tags("Specialists")]
    [ProducesResponseType<SpecialistView>(200)]
    public static IResult Get(Guid id, string? asOf, [ReadAggregate("id", Required = false)] Specialist specialist,
        TimeProvider clock)
    {
        var today = clock.Today();
        DateOnly date = today;
        if (asOf is not null && !DateOnly.TryParseExact(asOf, "yyyy-MM-dd", out date))
            return Rejection.BadRequest("invalid-date", $"'asOf' must be a date as YYYY-MM-DD, not '{asOf}'.", "asOf")
                .ToProblem();
        if (date > today)
            return Rejection.BadRequest("future-date",
                $"'asOf' ({date:yyyy-MM-dd}) is in the future; today is {today:yyyy-MM-dd}.", "asOf").ToProblem();

        return View(specialist, date) is { } view
            ? Results.Ok(view)
            : Problems.NotFound("not-yet-certified",
                $"Specialist {id} was certified on {specialist.CertifiedOn:yyyy-MM-dd}, after {date:yyyy-MM-dd}.");
    }
}

using System.Text.RegularExpressions;

namespace Trajectories.Careers.Correcting;

/// <summary>
/// The value rules a corrected event must still meet. Commands check these field by field as they read a request;
/// a correction arrives as a patch of any event, so it is checked here on the event it produces.
/// </summary>
public static partial class CorrectedValues
{
    public static string? Problem(CareerEvent e, CareerLadder ladder) => e switch
    {
        SpecialistCertified c when !StateCode().IsMatch(c.State) => "'state' must be a two-letter state code such as OR.",
        SpecialistCertified c when !Vocabulary.Credentials.Contains(c.Credential) => $"'credential' must be one of: {string.Join(", ", Vocabulary.Credentials)}.",
        SpecialistCertified c when c.ObservationStart < c.CertifiedOn => "'observationStart' cannot be before 'certifiedOn'.",
        Hired h when !Vocabulary.JobTypes.Contains(h.JobType) => $"'jobType' must be one of: {string.Join(", ", Vocabulary.JobTypes)}.",
        Hired { JobType: "peer" } h when ladder.Find(h.Tier) != h.Tier => $"'tier' must be a tier of the peer ladder: {string.Join(", ", ladder.Tiers)}.",
        Hired h when h.HoursPerWeek is < 0.5m or > 80m => "'hoursPerWeek' must be between 0.5 and 80.",
        Hired h when h.HourlyWage is < 0m or > 500m => "'hourlyWage' must be between 0 and 500.",
        Promoted p when p.HourlyWage is < 0m or > 500m => "'hourlyWage' must be between 0 and 500.",
        WageOrHoursChanged w when w.HourlyWage is < 0m or > 500m => "'hourlyWage' must be between 0 and 500.",
        WageOrHoursChanged w when w.HoursPerWeek is < 0.5m or > 80m => "'hoursPerWeek' must be between 0.5 and 80.",
        Separated s when !Vocabulary.SeparationReasons.Contains(s.Reason) => $"'reason' must be one of: {string.Join(", ", Vocabulary.SeparationReasons)}.",
        CheckedIn c when !Vocabulary.ReportedStatuses.Contains(c.ReportedStatus) => $"'reportedStatus' must be one of: {string.Join(", ", Vocabulary.ReportedStatuses)}.",
        CheckedIn c when new[] { c.Exhaustion, c.Cynicism, c.ProfessionalEfficacy }.Any(x => x is < 0m or > 6m) => "Burnout scores must be between 0 and 6.",
        _ => null,
    };

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex StateCode();
}

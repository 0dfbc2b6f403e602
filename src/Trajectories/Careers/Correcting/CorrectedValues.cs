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
        Hired { JobType: "peer" } h when ladder.Find(h.Tier) != h.Tier => ladder.NotOnLadder,
        Hired h when !Bounds.HoursPerWeek.Holds(h.HoursPerWeek) => Bounds.HoursPerWeek.Message,
        Hired h when !Bounds.HourlyWage.Holds(h.HourlyWage) => Bounds.HourlyWage.Message,
        Promoted p when !Bounds.HourlyWage.Holds(p.HourlyWage) => Bounds.HourlyWage.Message,
        WageOrHoursChanged w when !Bounds.HourlyWage.Holds(w.HourlyWage) => Bounds.HourlyWage.Message,
        WageOrHoursChanged w when !Bounds.HoursPerWeek.Holds(w.HoursPerWeek) => Bounds.HoursPerWeek.Message,
        Separated s when !Vocabulary.SeparationReasons.Contains(s.Reason) => $"'reason' must be one of: {string.Join(", ", Vocabulary.SeparationReasons)}.",
        CheckedIn c when !Vocabulary.ReportedStatuses.Contains(c.ReportedStatus) => $"'reportedStatus' must be one of: {string.Join(", ", Vocabulary.ReportedStatuses)}.",
        CheckedIn c when !Bounds.Exhaustion.Holds(c.Exhaustion) => Bounds.Exhaustion.Message,
        CheckedIn c when !Bounds.Cynicism.Holds(c.Cynicism) => Bounds.Cynicism.Message,
        CheckedIn c when !Bounds.ProfessionalEfficacy.Holds(c.ProfessionalEfficacy) => Bounds.ProfessionalEfficacy.Message,
        _ => null,
    };

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex StateCode();
}

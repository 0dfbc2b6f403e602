using System.Reflection;
using System.Text.Json;
using Trajectories.Careers.Certifying;
using Trajectories.Careers.ChangingWageOrHours;
using Trajectories.Careers.CheckingIn;
using Trajectories.Careers.Crediting;
using Trajectories.Careers.Hiring;
using Trajectories.Careers.LosingTouch;
using Trajectories.Careers.Pausing;
using Trajectories.Careers.Promoting;
using Trajectories.Careers.Registering;
using Trajectories.Careers.Returning;
using Trajectories.Careers.Separating;

namespace Trajectories.Careers.Correcting;

/// <summary>
/// A corrected event must meet the rules of the command that records it, so the patched event is turned back into
/// that command's request and read again by the command's own Validate: one rule set per field, for a command and
/// the correction of its event alike (lengths, vocabulary, the ladder, bounds, dates). What comes back is the event
/// as the command would have recorded it (trimmed, in the vocabulary's spelling).
/// </summary>
public static class CorrectedValues
{
    public static (CareerEvent?, RequestErrors) Validate(CareerEvent e, Specialist specialist, CareerLadder ladder,
        DateOnly today) => e switch
    {
        SpecialistCertified c => Widen(RegisterSpecialistEndpoint.Read(
            new RegisterSpecialist(c.Name, c.State, c.Credential, c.CertificationNumber, c.CertifiedOn, c.County,
                c.Rural, c.Mhpsa, c.ObservationStart), today)),
        CertificationRenewed r => Widen(RenewCertificationEndpoint.Read(
            new RenewCertification(r.RenewedOn, r.ExpiresOn), today)),
        CertificationLapsed l => Widen(LapseCertificationEndpoint.Read(new LapseCertification(l.LapsedOn), today)),
        Hired h => Widen(HireEndpoint.Read(new Hire(h.JobId, h.Employer, h.Title, h.JobType, h.Tier,
            h.HoursPerWeek, h.HourlyWage, h.StartedOn), ladder, today)),
        Promoted p => Widen(PromoteEndpoint.Read(new Promote(p.JobId, p.Tier, p.HourlyWage, p.PromotedOn),
            specialist, ladder, today)),
        WageOrHoursChanged w => Widen(ChangeWageOrHoursEndpoint.Read(
            new ChangeWageOrHours(w.JobId, w.HourlyWage, w.HoursPerWeek, w.Reason, w.ChangedOn), today)),
        Separated s => Widen(SeparateEndpoint.Read(
            new Separate(s.JobId, s.Reason, s.Voluntary, s.SeparatedOn, s.Note), today)),
        DisabilityPauseStarted p => Widen(StartPauseEndpoint.Read(new StartPause(p.Reason, p.StartedOn), today)),
        DisabilityPauseEnded p => Widen(EndPauseEndpoint.Read(new EndPause(p.EndedOn), today)),
        ReturnedToWork r =>
            Widen(ReturnToWorkEndpoint.Read(new ReturnToWork(r.ReturnedOn, r.JobId, r.Note), today)),
        CredentialEarned c =>
            Widen(EarnCredentialEndpoint.Read(new EarnCredential(c.Credential, c.EarnedOn), today)),
        CheckedIn c => Widen(CheckInEndpoint.Read(new CheckIn(c.CheckedInOn, c.ReportedStatus, c.Exhaustion,
            c.Cynicism, c.ProfessionalEfficacy), today)),
        LostToFollowUp l => Widen(MarkLostToFollowUpEndpoint.Read(new MarkLostToFollowUp(l.LostOn, l.Note), today)),
        _ => (null, new RequestErrors().Add("changes", "invalid-correction",
            $"A {CareerJson.KindOf(e)} event cannot be corrected.")),
    };

    /// <summary>
    /// The fields a correction may name: the event's own recorded fields, by their JSON names. Not the computed
    /// effective date, and not a hire's job id (later events name the job by it; void the hire instead).
    /// </summary>
    public static IReadOnlyList<string> Fields(CareerEvent e)
    {
        var recorded = e.GetType().GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .MaxBy(c => c.GetParameters().Length)!.GetParameters()
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name!));
        return recorded.Where(f => !(e is Hired && f == "jobId")).ToList();
    }

    private static (CareerEvent?, RequestErrors) Widen<T>((T? Event, RequestErrors Errors) read)
        where T : CareerEvent => (read.Event, read.Errors);
}

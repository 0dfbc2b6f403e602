using System.Text.Json;
using Trajectories.Careers;
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

namespace Trajectories.Ingestion;

/// <summary>
/// The CloudEvents types we take, one per career event: "org.trajectories.cps.&lt;kind&gt;.v1". An event's data is the
/// body of the staff command that records the same event (docs/ingestion/schemas), and it is decided by that
/// command's own Decide: ingested events obey exactly the rules staff commands obey.
/// </summary>
public sealed record IngestType(
    string Kind, Type Data, Func<JsonElement, CareerLadder, DateOnly, RequestErrors>? Check,
    Func<JsonElement, Specialist, CareerLadder, DateOnly, Decision>? Decide)
{
    public const string Prefix = "org.trajectories.cps.";
    public const string Suffix = ".v1";
    public const string Certified = "certified";

    public string CloudEventType => Prefix + Kind + Suffix;

    /// <summary>
    /// A type decided by its command: Check is the command's Read (everything the request alone decides, answered at
    /// acceptance), Decide its whole decision with the person's history (when the event is applied).
    /// </summary>
    private static IngestType Of<T>(string kind, Func<T, CareerLadder, DateOnly, RequestErrors> read,
        Func<T, Specialist, CareerLadder, DateOnly, Decision> decide) =>
        new(kind, typeof(T), (data, ladder, today) => read(Read<T>(data), ladder, today),
            (data, s, ladder, today) => decide(Read<T>(data), s, ladder, today));

    public static T Read<T>(JsonElement data) =>
        data.Deserialize<T>(CareerJson.Options) ?? throw new JsonException("data is null");

    public static readonly IReadOnlyList<IngestType> All =
    [
        new(Certified, typeof(RegisterSpecialist), null, null),
        Of<RenewCertification>("certification-renewed", (c, _, t) => RenewCertificationEndpoint.Read(c, t).Item2,
            (c, s, _, t) => RenewCertificationEndpoint.Decide(c, s, t)),
        Of<LapseCertification>("certification-lapsed", (c, _, t) => LapseCertificationEndpoint.Read(c, t).Item2,
            (c, s, _, t) => LapseCertificationEndpoint.Decide(c, s, t)),
        Of<Hire>("hired", (c, l, t) => HireEndpoint.Read(c, l, t).Item2,
            (c, s, l, t) => HireEndpoint.Decide(c, s, l, t, out _)),
        Of<Promote>("promoted", (c, l, t) => PromoteEndpoint.Read(c, null, l, t).Item2, PromoteEndpoint.Decide),
        Of<ChangeWageOrHours>("wage-or-hours-changed", (c, _, t) => ChangeWageOrHoursEndpoint.Read(c, t).Item2,
            (c, s, _, t) => ChangeWageOrHoursEndpoint.Decide(c, s, t)),
        Of<Separate>("separated", (c, _, t) => SeparateEndpoint.Read(c, t).Item2,
            (c, s, _, t) => SeparateEndpoint.Decide(c, s, t)),
        Of<StartPause>("disability-pause-started", (c, _, t) => StartPauseEndpoint.Read(c, t).Item2,
            (c, s, _, t) => StartPauseEndpoint.Decide(c, s, t)),
        Of<EndPause>("disability-pause-ended", (c, _, t) => EndPauseEndpoint.Read(c, t).Item2,
            (c, s, _, t) => EndPauseEndpoint.Decide(c, s, t)),
        Of<ReturnToWork>("returned-to-work", (c, _, t) => ReturnToWorkEndpoint.Read(c, t).Item2,
            (c, s, _, t) => ReturnToWorkEndpoint.Decide(c, s, t)),
        Of<EarnCredential>("credential-earned", (c, _, t) => EarnCredentialEndpoint.Read(c, t).Item2,
            (c, s, _, t) => EarnCredentialEndpoint.Decide(c, s, t)),
        Of<CheckIn>("checked-in", (c, _, t) => CheckInEndpoint.Read(c, t).Item2,
            (c, s, _, t) => CheckInEndpoint.Decide(c, s, t)),
        Of<MarkLostToFollowUp>("lost-to-follow-up", (c, _, t) => MarkLostToFollowUpEndpoint.Read(c, t).Item2,
            (c, s, _, t) => MarkLostToFollowUpEndpoint.Decide(c, s, t)),
    ];

    private static readonly Dictionary<string, IngestType> ByType =
        All.ToDictionary(t => t.CloudEventType, StringComparer.Ordinal);

    public static IngestType? Find(string cloudEventType) => ByType.GetValueOrDefault(cloudEventType);
}

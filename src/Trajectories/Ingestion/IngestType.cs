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
    string Kind, Type Data, Func<JsonElement, Specialist, CareerLadder, DateOnly, Decision>? Decide)
{
    public const string Prefix = "org.trajectories.cps.";
    public const string Suffix = ".v1";
    public const string Certified = "certified";

    public string CloudEventType => Prefix + Kind + Suffix;

    private static IngestType Of<T>(string kind, Func<T, Specialist, CareerLadder, DateOnly, Decision> decide) =>
        new(kind, typeof(T), (data, s, ladder, today) => decide(Read<T>(data), s, ladder, today));

    public static T Read<T>(JsonElement data) =>
        data.Deserialize<T>(CareerJson.Options) ?? throw new JsonException("data is null");

    public static readonly IReadOnlyList<IngestType> All =
    [
        new(Certified, typeof(RegisterSpecialist), null),
        Of<RenewCertification>("certification-renewed", (c, s, _, t) => RenewCertificationEndpoint.Decide(c, s, t)),
        Of<LapseCertification>("certification-lapsed", (c, s, _, t) => LapseCertificationEndpoint.Decide(c, s, t)),
        Of<Hire>("hired", (c, s, l, t) => HireEndpoint.Decide(c, s, l, t, out _)),
        Of<Promote>("promoted", PromoteEndpoint.Decide),
        Of<ChangeWageOrHours>("wage-or-hours-changed", (c, s, _, t) => ChangeWageOrHoursEndpoint.Decide(c, s, t)),
        Of<Separate>("separated", (c, s, _, t) => SeparateEndpoint.Decide(c, s, t)),
        Of<StartPause>("disability-pause-started", (c, s, _, t) => StartPauseEndpoint.Decide(c, s, t)),
        Of<EndPause>("disability-pause-ended", (c, s, _, t) => EndPauseEndpoint.Decide(c, s, t)),
        Of<ReturnToWork>("returned-to-work", (c, s, _, t) => ReturnToWorkEndpoint.Decide(c, s, t)),
        Of<EarnCredential>("credential-earned", (c, s, _, t) => EarnCredentialEndpoint.Decide(c, s, t)),
        Of<CheckIn>("checked-in", (c, s, _, t) => CheckInEndpoint.Decide(c, s, t)),
        Of<MarkLostToFollowUp>("lost-to-follow-up", (c, s, _, t) => MarkLostToFollowUpEndpoint.Decide(c, s, t)),
    ];

    private static readonly Dictionary<string, IngestType> ByType =
        All.ToDictionary(t => t.CloudEventType, StringComparer.Ordinal);

    public static IngestType? Find(string cloudEventType) => ByType.GetValueOrDefault(cloudEventType);
}

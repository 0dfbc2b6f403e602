using Trajectories.Careers;
using Wolverine.Http;

namespace Trajectories.Retention.Querying;

/// <summary>
/// The closed lists the API accepts, so forms and filters offer exactly those (the ladder is configurable).
/// </summary>
public sealed record VocabularyView(
    IReadOnlyList<string> Credentials, IReadOnlyList<string> JobTypes, IReadOnlyList<string> SeparationReasons,
    IReadOnlyList<string> ReportedStatuses, IReadOnlyList<string> Statuses, IReadOnlyList<string> Tiers,
    IReadOnlyList<string> RetentionFilters);

public static class GetVocabularyEndpoint
{
    [WolverineGet("/api/vocabulary",
        Summary = "The closed lists the API accepts")]
    [Access(Roles.Staff, Roles.Analyst, Roles.Integration), Tags("Specialists")]
    public static VocabularyView Get(CareerLadder ladder) => new(
        Vocabulary.Credentials, Vocabulary.JobTypes, Vocabulary.SeparationReasons, Vocabulary.ReportedStatuses,
        Vocabulary.Status.All, ladder.Tiers, RetentionQuery.Keys);
}

using Trajectories.Careers;
using Trajectories.Retention.Facts;
using Trajectories.Retention.Models;
using Trajectories.Survival;

namespace Trajectories.Retention.Ladder;

/// <summary>
/// Time to a first promotion (issue 17, the career ladder): from the start of the first peer-work spell to the first
/// day a tier higher on the ladder than the one at the start is in force (the episodes' rule, ADR 16); leaving peer
/// work first, or the as-of date, ends follow-up (censored). Someone promoted before follow-up began is not in the
/// sample (left truncation, as in every curve). Grouped by the spell's attributes at its start.
/// </summary>
public static class FirstPromotion
{
    public const string Cause = "promoted";

    public static Spell? For(RetentionFacts f, DateOnly asOf, CareerLadder ladder, Func<Guid, uint>? recordKey = null)
    {
        if (Spells.For(Measure.PeerWork, f, asOf, recordKey).FirstOrDefault() is not { } spell) return null;
        var episodes = Episodes.For(Measure.PeerWork, f, asOf, ladder).FirstOrDefault();
        if (episodes is null || episodes.Count == 0 || episodes[0].Attributes.Promoted == "true") return null;
        var first = episodes.Select((e, i) => (e, i)).FirstOrDefault(x => x.e.Attributes.Promoted == "true");
        var observation = first.e is null
            ? spell.Observation with { Event = false }
            : spell.Observation with { Exit = episodes[first.i - 1].Observation.Exit, Event = true };
        return spell with { Observation = observation, Cause = first.e is null ? null : Cause };
    }
}

namespace Trajectories.Careers;

/// <summary>
/// Checks for what staff record by hand (issue 19, item 4): a write is refused when it adds a slip the history did not
/// already hold (<see cref="CareerRules.Mistakes"/>: a promotion to the tier held, a return with no pause open),
/// whichever entry the slip lands on: a late promotion that makes a later one repeat its tier, a correction of a
/// hire's tier, a void or a move of the pause a return ended. Slips already recorded stand, and a correction of their
/// other fields is taken. Integrations and imports are not held to them: what a source system or an export says
/// happened is recorded as it says, in whatever order it arrives (ADR 10), and an export imports back whole.
/// </summary>
public static class StaffChecks
{
    public static Decision ForStaff(this Decision decision, Specialist specialist)
    {
        if (!decision.IsAccepted) return decision;
        var version = specialist.Version;
        var candidate = specialist.Entries.Concat(decision.Events.Select(e =>
            new CareerEntry(Guid.NewGuid(), ++version, DateTimeOffset.MaxValue, null, e)));
        var after = CareerRules.Mistakes(CareerHistory.From(candidate));
        // Almost every write leaves no slip at all: the history before it is folded only when one is found.
        if (after.Count == 0) return decision;
        var before = CareerRules.Mistakes(specialist.History());
        var added = after.Where(m => !before.ContainsKey(m.Key)).Select(m => m.Value).FirstOrDefault();
        return added is null ? decision : Decision.Reject(added);
    }
}

using Trajectories.Careers;
using Trajectories.Retention.Disclosure;

namespace Trajectories.Retention.Models;

/// <summary>
/// The rule for models shown to analysts (ADR 16): every level of every covariate, the reference included, has at
/// least MinCellSize spells and MinCellSize events, both as protected counts (a threshold on exact counts would say
/// on which side of it a level lies). A level under it makes the whole model a 422 naming the covariate, as a small
/// group is hidden on a curve: a coefficient estimated from a handful of people describes those people. Counts in
/// the answer (n, events) are protected cells; coefficients are estimates from every spell of the model, each level
/// holding at least MinCellSize people and events.
/// </summary>
public static class ModelDisclosure
{
    public static Rejection? TooSmall(
        IReadOnlyList<Spell> spells, IReadOnlyList<CovariateView> covariates, PerturbationTable table,
        Func<Spell, string, string> level)
    {
        foreach (var c in covariates)
        foreach (var name in c.Levels.Prepend(c.Reference))
        {
            // People (or jobs) with any time at this level: a spell split into episodes counts once.
            var members = spells.Where(s => level(s, c.Name) == name).ToList();
            var keys = members.Select(s => s.Key).Distinct().ToList();
            var people = table.Show(table.Protect(keys.Count, CellKey.Of(keys)));
            var left = members.Where(s => s.Observation.Event).ToList();
            var events = table.Show(table.Protect(left.Count, CellKey.Of(left.Select(s => s.Key))));
            if (people is null || events is null)
                return new Rejection("level-too-small", 422,
                    $"'{c.Name}={name}' has too few people or events to be modelled without singling anyone out " +
                    $"(each level needs {table.MinCellSize} of both): leave '{c.Name}' out of 'covariates', or " +
                    "widen the filters.", "covariates");
        }
        return null;
    }

    public static Protection Protection(PerturbationTable table)
    {
        var p = Disclosure.Protection.CellKey(table);
        return p with
        {
            Note = $"Estimates from people modelled whose every covariate level holds at least {table.MinCellSize} " +
                   "people and events (fewer: the model is not shown); n and events are protected counts. " + p.Note,
        };
    }
}

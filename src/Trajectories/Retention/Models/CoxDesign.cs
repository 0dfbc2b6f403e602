using Trajectories.Careers;
using Trajectories.Survival;

namespace Trajectories.Retention.Models;

/// <summary>
/// A covariate as modelled: for a categorical one its reference level (named in the answer) and the others; for a
/// continuous one (the hourly wage) its unit as the reference and no levels: one term, per unit.
/// </summary>
public sealed record CovariateView(string Name, string Reference, IReadOnlyList<string> Levels)
{
    /// <summary>For analysts: levels too small to be terms of their own, counted with the reference.</summary>
    public IReadOnlyList<string> Folded { get; init; } = [];

    public bool Continuous { get; init; }

    /// <summary>For analysts' wage: the range its whole dollars are coded to (the large bands', ADR 16).</summary>
    public WageCoding? Coding { get; init; }
}

/// <summary>The dollars an hour an analyst's model codes the wage between; wages outside count as these.</summary>
public sealed record WageCoding(double Low, double High);

/// <summary>
/// Spells turned into Cox rows: every covariate is categorical (the same attributes the curves group by), coded as
/// one 0/1 term per level but the reference, named <c>covariate=level</c> (<c>state=WA</c>, <c>rural=true</c>). The
/// reference is <c>false</c> for yes/no covariates and otherwise the level with the most spells (ties: the first
/// alphabetically), so every other level is compared with the largest group. Pure: no I/O.
/// </summary>
public static class CoxDesign
{
    public static readonly string[] YesNo = ["fullTime", "rural", "mhpsa", "promoted"];

    /// <summary>Continuous covariates: the hourly wage in force, one term per dollar an hour.</summary>
    public const string Wage = "wage";

    public const string WageUnit = "per $1/h";

    public static CovariateView WageView() => new(Wage, WageUnit, []) { Continuous = true };

    /// <summary>
    /// The wage as analysts' models take it (ADR 16): whole dollars, top- and bottom-coded at $10 and $40 an hour,
    /// the coarsening statistical agencies give a continuous variable, so an outlying wage neither names its earner
    /// nor pulls the coefficient; admins' models take it exact.
    /// </summary>
    public static double CoarseWage(double wage) => Math.Clamp(Math.Round(wage), 10, 40);

    /// <summary>The analysts' wage bands: $10-14, $15-19, … $35-40 of the coarse wage (0 to 5).</summary>
    public static readonly int[] WageBands = [0, 1, 2, 3, 4, 5];

    public static int? WageBand(double? wage) => wage is { } w ? Math.Min(5, (int)((CoarseWage(w) - 10) / 5)) : null;

    public static double BandFloor(int band) => 10 + 5 * band;

    public static double BandCeiling(int band) => band == 5 ? 40 : BandFloor(band) + 4;

    /// <summary>A spell's level of a covariate; tiers off the ladder (an employer's own words) as one level.</summary>
    public static Func<Spell, string, string> Levels(CareerLadder ladder) => (s, covariate) =>
    {
        var level = s.Attributes[covariate] ?? "none";
        return covariate != "tier" || level == RetentionQuery.TierOrNone(null) || ladder.Tiers.Contains(level)
            ? level
            : OffLadder;
    };

    public const string OffLadder = "other (not on the ladder)";

    /// <summary>
    /// At most this many terms (levels beside the references): a fit costs time in the square of the terms, and 30
    /// terms over 100,000 spells took 4.4 s of a core (docs/benchmarks.md); 20 stay near 2 s.
    /// </summary>
    public const int MaxTerms = 20;

    public static (IReadOnlyList<CovariateView> Covariates, IReadOnlyList<string> Terms, List<CoxRow> Rows,
        Rejection? Rejection) Build(
        IReadOnlyList<Spell> spells, IReadOnlyList<string> covariates, Func<Spell, string, string> Level)
    {
        var views = new List<CovariateView>();
        foreach (var c in covariates)
        {
            if (c == Wage)
            {
                if (spells.Select(s => s.Attributes.Wage).Distinct().Count() < 2)
                    return ([], [], [], new Rejection("covariate-has-one-level", 422,
                        "'wage' has one value among the people modelled; leave it out of 'covariates'.",
                        "covariates"));
                views.Add(WageView());
                continue;
            }
            var counts = spells.GroupBy(s => Level(s, c)).ToDictionary(g => g.Key, g => g.Count());
            if (counts.Count < 2)
                return ([], [], [], new Rejection("covariate-has-one-level", 422,
                    $"'{c}' has {(counts.Count == 0 ? "no levels" : $"one level ({counts.Keys.Single()})")} " +
                    "among the people modelled (is it also a filter?); leave it out of 'covariates'.", "covariates"));
            var reference = YesNo.Contains(c) && counts.ContainsKey("false")
                ? "false"
                : counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).First().Key;
            views.Add(new CovariateView(c, reference,
                counts.Keys.Where(l => l != reference).Order(StringComparer.Ordinal).ToList()));
        }
        return Code(spells, views, Level);
    }

    /// <summary>The rows of a model whose covariates, references and levels are already decided.</summary>
    /// <param name="wage">How the wage enters (exact, or <see cref="CoarseWage"/> for analysts).</param>
    public static (IReadOnlyList<CovariateView> Covariates, IReadOnlyList<string> Terms, List<CoxRow> Rows,
        Rejection? Rejection) Code(
        IReadOnlyList<Spell> spells, IReadOnlyList<CovariateView> views, Func<Spell, string, string> Level,
        Func<double, double>? wage = null)
    {
        var terms = views.SelectMany(v => v.Continuous ? [v.Name] : v.Levels.Select(l => $"{v.Name}={l}")).ToList();
        if (terms.Count > MaxTerms)
            return ([], [], [], new Rejection("too-many-terms", 422,
                $"These covariates make {terms.Count} terms (one per level beside each reference); a model takes at " +
                $"most {MaxTerms}: leave out a covariate with many levels (" + string.Join(", ", views
                    .OrderByDescending(v => v.Levels.Count).Take(2).Select(v => $"{v.Name}: {v.Levels.Count + 1}")) +
                ") or narrow the filters.", "covariates"));
        var rows = spells.Select(s =>
        {
            var x = new double[terms.Count];
            var i = 0;
            foreach (var v in views)
            {
                if (v.Continuous)
                {
                    var w = s.Attributes.Wage ?? 0;
                    var coded = wage?.Invoke(w) ?? w;
                    x[i++] = v.Coding is { } range ? Math.Clamp(coded, range.Low, range.High) : coded;
                    continue;
                }
                var level = Level(s, v.Name);
                foreach (var l in v.Levels) x[i++] = level == l ? 1 : 0;
            }
            return new CoxRow(s.Observation.Entry, s.Observation.Exit, s.Observation.Event, x);
        }).ToList();
        return (views, terms, rows, null);
    }
}

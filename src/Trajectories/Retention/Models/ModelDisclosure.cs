using System.Globalization;
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
    /// <summary>
    /// An analyst's covariates decided from the vocabulary and protected counts only, never from exact ones (a
    /// hostile review found that "'rural' has one level (true)" told a group of one from an empty one, and named its
    /// member's attributes). A covariate that is also a filter is refused as such. Every level the vocabulary has is
    /// counted, absent ones included; a level under MinCellSize people or events as protected counts (zero
    /// included, so an empty level and a small one look alike) is folded into the reference and listed as folded,
    /// as a curve lists a small group as suppressed; the reference is the level with the most people by protected
    /// count (false for yes/no covariates, unless folded away). Fewer than two levels left: refused, whatever the
    /// reason.
    /// </summary>
    public static (IReadOnlyList<CovariateView> Views, Rejection? Rejection) Decide(
        RetentionQuery query, IReadOnlyList<Spell> spells, IReadOnlyList<string> covariates,
        Func<string, IReadOnlyList<string>> vocabulary, PerturbationTable table, Func<Spell, string, string> level)
    {
        var views = new List<CovariateView>();
        foreach (var c in covariates)
        {
            if (query.Filters.ContainsKey(c))
                return ([], new Rejection("covariate-is-a-filter", 422,
                    $"'{c}' is also a filter, so it has one value among the people modelled: leave it out of " +
                    "'covariates' or drop the filter.", "covariates"));
            if (c == CoxDesign.Wage)
            {
                // The wage's $5 bands play the part of levels: at least two must hold MinCellSize people and events
                // as protected counts, and wages in smaller bands are coded to the edge of the large ones, so no
                // handful of people with their own wage sets the coefficient (a hostile review read a lone
                // person's outcome off its sign).
                var bands = CoxDesign.WageBands.Where(band =>
                {
                    var members = spells.Where(s => CoxDesign.WageBand(s.Attributes.Wage) == band).ToList();
                    var keys = members.Select(s => s.Key).Distinct().ToList();
                    var left = members.Where(s => s.Observation.Event).ToList();
                    return table.Show(table.Protect(keys.Count, CellKey.Of(keys))) is not null
                           && table.Show(table.Protect(left.Count, CellKey.Of(left.Select(s => s.Key)))) is not null;
                }).ToList();
                if (bands.Count < 2)
                    return ([], new Rejection("too-few-levels", 422,
                        $"'wage' needs two $5 wage bands with {table.MinCellSize} people and events each among the " +
                        "people modelled: leave it out of 'covariates', or widen the filters.", "covariates"));
                views.Add(CoxDesign.WageView() with
                {
                    Coding = new WageCoding(CoxDesign.BandFloor(bands.Min()), CoxDesign.BandCeiling(bands.Max())),
                });
                continue;
            }
            var large = new List<(string Level, int People)>();
            var folded = new List<string>();
            foreach (var name in vocabulary(c))
            {
                var members = spells.Where(s => level(s, c) == name).ToList();
                // People (or jobs) with any time at this level: a spell split into episodes counts once.
                var keys = members.Select(s => s.Key).Distinct().ToList();
                var people = table.Show(table.Protect(keys.Count, CellKey.Of(keys)));
                var left = members.Where(s => s.Observation.Event).ToList();
                var events = table.Show(table.Protect(left.Count, CellKey.Of(left.Select(s => s.Key))));
                if (people is null || events is null) folded.Add(name);
                else large.Add((name, people.Value));
            }
            if (large.Count < 2)
                return ([], new Rejection("too-few-levels", 422,
                    $"'{c}' has fewer than two levels with {table.MinCellSize} people and events each among the " +
                    "people modelled: leave it out of 'covariates', or widen the filters.", "covariates"));
            var reference = CoxDesign.YesNo.Contains(c) && large.Any(l => l.Level == "false")
                ? "false"
                : large.OrderByDescending(p => p.People).ThenBy(p => p.Level, StringComparer.Ordinal).First().Level;
            views.Add(new CovariateView(c, reference, large.Select(p => p.Level).Where(l => l != reference)
                .Order(StringComparer.Ordinal).ToList()) { Folded = folded });
        }
        return (views, null);
    }

    /// <summary>
    /// What an analyst sees of a fit: estimates to three decimals, p-values to three significant digits, test
    /// statistics to two decimals. Exact doubles gave the concordance as an exact fraction whose denominator is
    /// twice the number of comparable pairs, an exact count (a hostile review); rounded, neither it nor the
    /// estimates carry more than a model's reader needs.
    /// </summary>
    public static double Estimate(double value) => Math.Round(value, 3);

    public static double Statistic(double value) => Math.Round(value, 2);

    public static double P(double p) => p == 0 ? 0 : double.Parse(p.ToString("G3", CultureInfo.InvariantCulture),
        CultureInfo.InvariantCulture);

    private static TestView Rounded(TestView t) => new(Statistic(t.ChiSquare), t.Df, P(t.P));

    public static ModelReport Rounded(ModelReport r) => r with
    {
        Terms = r.Terms.Select(t => t with
        {
            Coef = Estimate(t.Coef), Se = Estimate(t.Se), HazardRatio = Estimate(t.HazardRatio),
            Lower = Estimate(t.Lower), Upper = Estimate(t.Upper), Z = Statistic(t.Z), P = P(t.P),
        }).ToList(),
        LikelihoodRatio = Rounded(r.LikelihoodRatio), Wald = Rounded(r.Wald), Score = Rounded(r.Score),
        Concordance = new ConcordanceView(Estimate(r.Concordance.Value), Estimate(r.Concordance.Se)),
        ProportionalHazards = new ProportionalHazardsView(
            r.ProportionalHazards.Terms.Select(t => t with { ChiSquare = Statistic(t.ChiSquare), P = P(t.P) })
                .ToList(), Rounded(r.ProportionalHazards.Global)),
    };

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

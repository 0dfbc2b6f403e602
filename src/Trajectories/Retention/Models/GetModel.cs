using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Trajectories.Careers;
using Trajectories.Retention.Disclosure;
using Trajectories.Retention.Querying;
using Trajectories.Survival;
using Wolverine.Http;

namespace Trajectories.Retention.Models;

public sealed record TermView(
    string Term, string Covariate, string Level, double Coef, double Se, double HazardRatio, double Lower,
    double Upper, double Z, double P);

public sealed record TestView(double ChiSquare, int Df, double P)
{
    public static TestView Of(ChiSquareTest t) => new(t.ChiSquare, t.DegreesOfFreedom, t.P);
}

public sealed record ConcordanceView(double Value, double Se);

public sealed record TermTestView(string Covariate, double ChiSquare, int Df, double P);

/// <summary>R's cox.zph, Kaplan-Meier time transform: a small p says a hazard ratio changes over time.</summary>
public sealed record ProportionalHazardsView(IReadOnlyList<TermTestView> Terms, TestView Global);

/// <param name="N">Spells (people, or jobs for the job measure) modelled.</param>
/// <param name="Episodes">With time-varying covariates, the (start, stop] rows fitted (admins only).</param>
public sealed record ModelReport(
    string Measure, DateOnly AsOf, string Ties, bool TimeVarying, int? N, int? Events, int? Episodes,
    IReadOnlyList<CovariateView> Covariates, IReadOnlyList<TermView> Terms, TestView LikelihoodRatio,
    TestView Wald, TestView Score, ConcordanceView Concordance, ProportionalHazardsView ProportionalHazards)
{
    public Protection? Protection { get; init; }
}

/// <summary>
/// Cox proportional hazards models of each retention measure (issue 17, ADR 7): what predicts leaving, with the
/// usual filters and as-of date. Query: covariates (comma list of state, cohort, credential, rural, mhpsa, and for
/// the spell and job measures tier, fullTime, and jobType for jobs), ties=efron (default, as R) or breslow,
/// format=csv. Covariates are those at the start of the spell or job; with timeVarying=true (peer work and jobs),
/// tier and full time are those in force at each time, and promoted (since the start) is a covariate too.
/// </summary>
public static class GetModelEndpoints
{

    [WolverineGet("/api/retention/peer-work/model",
        Summary = "What predicts leaving peer work (Cox model)"), Access(Roles.Analyst), Tags("Retention")]
    [ProducesResponseType<ModelReport>(200)]
    [QueryString(Measure.PeerWork, "covariates", "ties", "timeVarying", Without = ["groupBy"])]
    public static Task<IResult> PeerWork(HttpRequest request, RetentionFactsCache cache,
        IOptions<PrivacyOptions> privacy, TimeProvider clock, CancellationToken ct) =>
        Answer(Measure.PeerWork, request, cache, privacy.Value, clock, ct);

    [WolverineGet("/api/retention/first-peer-job/model",
        Summary = "What predicts a first peer job (Cox model)"), Access(Roles.Analyst), Tags("Retention")]
    [ProducesResponseType<ModelReport>(200)]
    [QueryString(Measure.FirstPeerJob, "covariates", "ties", Without = ["groupBy"])]
    public static Task<IResult> FirstPeerJob(HttpRequest request, RetentionFactsCache cache,
        IOptions<PrivacyOptions> privacy, TimeProvider clock, CancellationToken ct) =>
        Answer(Measure.FirstPeerJob, request, cache, privacy.Value, clock, ct);

    [WolverineGet("/api/retention/job/model",
        Summary = "What predicts leaving a job (Cox model)"), Access(Roles.Analyst), Tags("Retention")]
    [ProducesResponseType<ModelReport>(200)]
    [QueryString(Measure.Job, "covariates", "ties", "timeVarying", Without = ["groupBy"])]
    public static Task<IResult> Job(HttpRequest request, RetentionFactsCache cache,
        IOptions<PrivacyOptions> privacy, TimeProvider clock, CancellationToken ct) =>
        Answer(Measure.Job, request, cache, privacy.Value, clock, ct);

    private static async Task<IResult> Answer(Measure measure, HttpRequest request, RetentionFactsCache cache,
        PrivacyOptions privacy, TimeProvider clock, CancellationToken ct)
    {
        var covariatesText = request.Query["covariates"].ToString();
        var tiesText = request.Query["ties"].ToString();
        var timeVaryingText = request.Query["timeVarying"].ToString().Trim();
        var (query, rejection) = RetentionQuery.Parse(measure,
            request.WithoutQuery("covariates").WithoutQuery("ties").WithoutQuery("timeVarying"),
            clock.Today(), Caller.From(request.HttpContext.User));
        if (rejection is not null) return rejection.ToProblem();
        if (timeVaryingText is not ("" or "true" or "false"))
            return Rejection.BadRequest("invalid-value", "'timeVarying' is true or false.", "timeVarying").ToProblem();
        var timeVarying = timeVaryingText == "true";
        if (timeVarying && measure == Measure.FirstPeerJob)
            return Rejection.BadRequest("not-time-varying",
                "Time to a first peer job has no job terms that change: 'timeVarying' applies to the peer-work and " +
                "job models.", "timeVarying").ToProblem();
        if (timeVarying && query!.Filters.Keys.FirstOrDefault(k => k is "tier" or "fullTime") is { } changing)
            return Rejection.BadRequest("invalid-filter",
                $"'{changing}' changes during a spell: with timeVarying=true, model it as a covariate instead of " +
                "filtering on it.", changing).ToProblem();
        if (query!.GroupBy is not null)
            return Rejection.BadRequest("invalid-group",
                "A model takes 'covariates', not 'groupBy'.", "groupBy").ToProblem();
        var (covariates, invalid) = ParseCovariates(measure, covariatesText, timeVarying);
        if (invalid is not null) return invalid.ToProblem();
        // Decided from the question, not the data: a filter leaves its covariate one value (ADR 16).
        if (covariates.FirstOrDefault(query.Filters.ContainsKey) is { } filtered)
            return new Rejection("covariate-is-a-filter", 422,
                $"'{filtered}' is also a filter, so it has one value among the people modelled: leave it out of " +
                "'covariates' or drop the filter.", "covariates").ToProblem();
        CoxTies ties;
        switch (tiesText.Trim().ToLowerInvariant())
        {
            case "" or "efron": ties = CoxTies.Efron; break;
            case "breslow": ties = CoxTies.Breslow; break;
            default:
                return Rejection.BadRequest("invalid-value", "'ties' is efron (the default, as R) or breslow.",
                    "ties").ToProblem();
        }

        var view = await cache.ViewAsync(request.HttpContext, ct);
        query = view.Resolve(query);
        var gate = request.HttpContext.RequestServices.GetRequiredService<ModelGate>();
        // The whole question an analyst's answer depends on: release, scope, measure, covariates, ties, dates.
        var question = view.Release is null ? null : string.Join("|", view.Release.Id, measure,
            string.Join(",", (query.Scope ?? new HashSet<string>()).Order(StringComparer.Ordinal)),
            string.Join(",", covariates), tiesText.Trim().ToLowerInvariant(), timeVarying, query.AsOf,
            string.Join(",", query.Filters.OrderBy(f => f.Key, StringComparer.Ordinal)
                .Select(f => $"{f.Key}={f.Value.ToLowerInvariant()}")));
        if (question is not null && gate.Answered(question) is { } known) return Answer(known, query.Csv);
        var ladder = request.HttpContext.RequestServices.GetRequiredService<CareerLadder>();
        await cache.KeysReadyAsync(ct);
        var keyOf = cache.KeyOf;
        var modelled = (timeVarying
                ? view.All.SelectMany(f => Episodes.For(measure, f, query.AsOf, ladder, keyOf))
                : (await cache.SpellsAsync(measure, query.AsOf, view, ct)).Select(s => (IReadOnlyList<Spell>)[s]))
            // Filters read what does not change during a spell; never at risk (follow-up began at or after the
            // exit): no part of the sample, as in the curves.
            .Where(g => g.Count > 0 && query.Admits(g[0])
                        && (g[0].Observation.Entry is not { } e || e < g[^1].Observation.Exit))
            .ToList();
        var spells = modelled.SelectMany(g => g).ToList();
        var level = CoxDesign.Levels(ladder);
        var minCellSize = privacy.MinCellSizeFor(request.HttpContext);
        var analyst = PrivacyOptions.Perturbs(request.HttpContext);
        var table = PerturbationTable.For(minCellSize, view);
        var everyone = await cache.TableAsync(view, ct);
        IReadOnlyList<string> Vocabulary(string c) => c switch
        {
            "promoted" => ["false", "true"],
            "tier" => [.. ladder.Tiers, RetentionQuery.TierOrNone(null), CoxDesign.OffLadder],
            _ => GroupKeys.For(query with { GroupBy = c }, everyone, ladder),
        };
        var (decided, undecided) = analyst
            ? ModelDisclosure.Decide(query, spells, covariates, Vocabulary, table, level)
            : ([], null);
        if (undecided is not null) return undecided.ToProblem();
        var (views, terms, rows, refused) = analyst
            ? CoxDesign.Code(spells, decided, level, CoxDesign.CoarseWage)
            : CoxDesign.Build(spells, covariates, level);
        if (refused is not null) return refused.ToProblem();

        await using var lease = await gate.EnterAsync(Caller.From(request.HttpContext.User).Id, ct);
        if (lease is null)
            return new Rejection("model-running", 429,
                "A model of yours is still being fitted: wait for its answer before asking for another.")
                .ToProblem();
        CoxFit fit;
        ProportionalHazardsView zph;
        try
        {
            fit = CoxRegression.Fit(rows, terms, ties, ct);
            zph = ProportionalHazardsOf(rows, fit, ties, ct);
        }
        catch (CoxFitException e)
        {
            var term = e.Column >= 0 ? terms[e.Column] : null;
            return new Rejection(e.Rule, 422, term is null ? e.Message
                : $"{e.Message} Term '{term}' of covariate '{term.Split('=')[0]}': leave it out of 'covariates', " +
                  "or narrow the filters.", "covariates").ToProblem();
        }
        // An estimate without a finite interval (a coefficient heading off to infinity that the fit's own checks let
        // through) is the monotone likelihood of ADR 16, for every role: a 500 when written as JSON, and for analysts
        // the sign of a lone person's outcome (a hostile review).
        if (fit.Terms.FirstOrDefault(t => !double.IsFinite(t.Coef) || !double.IsFinite(t.Se)
                || !double.IsFinite(t.Upper) || !double.IsFinite(t.Lower)) is { } runaway)
            return new Rejection("monotone-likelihood", 422,
                $"Term '{runaway.Name}' of covariate '{runaway.Name.Split('=')[0]}' has no finite estimate among the " +
                "people modelled: leave it out of 'covariates', or widen the filters.", "covariates").ToProblem();
        // Spells, not episodes: a time-varying spell is several rows with one record key.
        var distinct = modelled.Count;
        var (n, events) = analyst
            ? (table.Show(table.Protect(distinct, CellKey.Of(modelled.Select(g => g[0].Key)))),
                table.Show(table.Protect(fit.Events,
                    CellKey.Of(spells.Where(s => s.Observation.Event).Select(s => s.Key)))))
            : (new Suppression(minCellSize).Show(distinct), new Suppression(minCellSize).Show(fit.Events));
        var report = new ModelReport(SurvivalReports.MeasureName(measure), query.AsOf,
            ties == CoxTies.Efron ? "efron" : "breslow", timeVarying, n, events,
            timeVarying && !analyst ? fit.N : null, views,
            fit.Terms.Select(t => new TermView(t.Name, t.Name.Split('=')[0],
                t.Name.Contains('=') ? t.Name[(t.Name.IndexOf('=') + 1)..] : CoxDesign.WageUnit,
                t.Coef, t.Se, t.HazardRatio, t.Lower, t.Upper, t.Z, t.P)).ToList(),
            TestView.Of(fit.LikelihoodRatio), TestView.Of(fit.Wald), TestView.Of(fit.Score),
            new ConcordanceView(fit.Concordance.Value, fit.Concordance.Se), zph)
        {
            Protection = analyst ? ModelDisclosure.Protection(table) : Protection.Suppression(minCellSize),
        };
        if (analyst) report = ModelDisclosure.Rounded(report);
        if (question is not null) gate.Remember(question, report);
        return Answer(report, query.Csv);
    }

    private static IResult Answer(ModelReport report, bool csv)
    {
        var views = report.Covariates;
        if (!csv) return Results.Ok(report);
        return RetentionCsv.Table("model",
            ["term", "covariate", "level", "reference", "coef", "se", "hazardRatio", "lower", "upper", "z", "p"],
            report.Terms.Select(t => (IReadOnlyList<object?>)[t.Term, t.Covariate, t.Level,
                views.Single(v => v.Name == t.Covariate).Reference, t.Coef, t.Se, t.HazardRatio, t.Lower, t.Upper,
                t.Z, t.P]), report.Protection);
    }

    private static ProportionalHazardsView ProportionalHazardsOf(
        IReadOnlyList<CoxRow> rows, CoxFit fit, CoxTies ties, CancellationToken ct)
    {
        var zph = CoxRegression.ProportionalHazards(rows, fit, ties, ct);
        return new ProportionalHazardsView(
            zph.Terms.Select(t => new TermTestView(t.Term, t.Test.ChiSquare, t.Test.DegreesOfFreedom, t.Test.P))
                .ToList(), TestView.Of(zph.Global));
    }

    private static (IReadOnlyList<string>, Rejection?) ParseCovariates(
        Measure measure, string text, bool timeVarying)
    {
        IReadOnlyList<string> allowed = [.. RetentionQuery.KeysFor(measure),
            .. timeVarying ? ["promoted"] : (string[])[],
            .. measure == Measure.FirstPeerJob ? (string[])[] : [CoxDesign.Wage]];
        var asked = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (asked.Length == 0)
            return ([], Rejection.BadRequest("covariates-required",
                $"Say which covariates to model: 'covariates' is a comma list of {string.Join(", ", allowed)}.",
                "covariates"));
        var result = new List<string>();
        foreach (var a in asked)
        {
            var known = allowed.FirstOrDefault(k => string.Equals(k, a, StringComparison.OrdinalIgnoreCase));
            if (known is null && string.Equals(a, "promoted", StringComparison.OrdinalIgnoreCase)
                && measure != Measure.FirstPeerJob)
                return ([], Rejection.BadRequest("invalid-covariate",
                    "'promoted' changes during a spell: add timeVarying=true to model it.", "covariates"));
            if (known is null)
                return ([], Rejection.BadRequest("invalid-covariate",
                    $"'{(a.Length > 40 ? a[..40] + "…" : a)}' is not a covariate of this measure; covariates here: " +
                    $"{string.Join(", ", allowed)}.", "covariates"));
            if (!result.Contains(known)) result.Add(known);
        }
        return (result, null);
    }
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Trajectories.Careers;
using Trajectories.Retention.Disclosure;
using Wolverine.Http;

namespace Trajectories.Retention.Querying;

/// <summary>
/// Kaplan-Meier curves for workforce analysts: time to first peer job, retention in peer work, and per job.
/// Query: groupBy, filters (state, cohort, credential, jobType, tier, fullTime, rural, mhpsa), asOf, ci=log-log|log,
/// format=csv (or Accept: text/csv).
/// </summary>
public static class GetSurvivalEndpoints
{
    [WolverineGet("/api/retention/peer-work",
        Summary = "How long people stay in peer work (Kaplan-Meier)"), Access(Roles.Analyst), Tags("Retention")]
    [ProducesResponseType<SurvivalReport>(200), QueryString(Measure.PeerWork)]
    public static Task<IResult> PeerWork(
        HttpRequest request, RetentionFactsCache cache, IOptions<PrivacyOptions> privacy, TimeProvider clock,
        CancellationToken ct)
        => Answer(Measure.PeerWork, request, cache, privacy.Value, clock, ct);

    [WolverineGet("/api/retention/first-peer-job",
        Summary = "Time from certification to a first peer job (Kaplan-Meier)")]
    [Access(Roles.Analyst), Tags("Retention")]
    [ProducesResponseType<SurvivalReport>(200), QueryString(Measure.FirstPeerJob)]
    public static Task<IResult> FirstPeerJob(
        HttpRequest request, RetentionFactsCache cache, IOptions<PrivacyOptions> privacy, TimeProvider clock,
        CancellationToken ct)
        => Answer(Measure.FirstPeerJob, request, cache, privacy.Value, clock, ct);

    [WolverineGet("/api/retention/job",
        Summary = "How long jobs last (Kaplan-Meier)"), Access(Roles.Analyst), Tags("Retention")]
    [ProducesResponseType<SurvivalReport>(200), QueryString(Measure.Job)]
    public static Task<IResult> Job(
        HttpRequest request, RetentionFactsCache cache, IOptions<PrivacyOptions> privacy, TimeProvider clock,
        CancellationToken ct)
        => Answer(Measure.Job, request, cache, privacy.Value, clock, ct);

    [WolverineGet("/api/retention/first-promotion",
        Summary = "Time from a first peer job to a first promotion (Kaplan-Meier)")]
    [Access(Roles.Analyst), Tags("Retention")]
    [ProducesResponseType<SurvivalReport>(200), QueryString(Measure.FirstPromotion)]
    public static Task<IResult> FirstPromotion(
        HttpRequest request, RetentionFactsCache cache, IOptions<PrivacyOptions> privacy, TimeProvider clock,
        CancellationToken ct)
        => Answer(Measure.FirstPromotion, request, cache, privacy.Value, clock, ct);

    private static async Task<IResult> Answer(
        Measure measure, HttpRequest request, RetentionFactsCache cache, PrivacyOptions privacy, TimeProvider clock,
        CancellationToken ct)
    {
        var (query, rejection) = RetentionQuery.Parse(
            measure, request, clock.Today(), Caller.From(request.HttpContext.User));
        if (rejection is not null) return rejection.ToProblem();
        var view = await cache.ViewAsync(request.HttpContext, ct);
        query = view.Resolve(query!);
        // Tiers of jobs outside the ladder are free text (an employer's own words), not vocabulary.
        var ladder = request.HttpContext.RequestServices.GetRequiredService<CareerLadder>();
        var asOf = query!.AsOf;
        // Promotions rank tiers by the configured ladder (one per deployment): kept like the other measures' spells.
        var spells = measure == Measure.FirstPromotion
            ? await cache.MemoAsync("first-promotion", asOf, view, keyOf => new SpellTable(view.All
                .Select(f => Ladder.FirstPromotion.For(f, asOf, ladder, keyOf)).OfType<Spell>().ToList()), ct)
            : await cache.SpellTableAsync(measure, asOf, view, ct);
        var listable = SurvivalReports.Listable(query, ladder);
        var minCellSize = privacy.MinCellSizeFor(request.HttpContext);
        var report = PrivacyOptions.Perturbs(request.HttpContext)
            ? ProtectedSurvival.Build(query, spells, PerturbationTable.For(minCellSize, view), ladder,
                await cache.TableAsync(view, ct), listable)
            : SurvivalReports.Build(query, spells, new Suppression(minCellSize), listable)
                with { Protection = Protection.Suppression(minCellSize) };
        return query!.Csv ? RetentionCsv.Survival(report) : Results.Ok(report);
    }
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Trajectories.Careers;
using Trajectories.Retention.Disclosure;
using Trajectories.Retention.Facts;
using Trajectories.Retention.Models;
using Wolverine.Http;
using Trajectories.Retention.Querying;

namespace Trajectories.Retention.Ladder;

/// <summary>One flow of the ladder chart: how many spells went from a node of one stage to one of the next.</summary>
public sealed record LadderFlow(string FromStage, string From, string ToStage, string To, int? Count);

/// <summary>Moves between two tiers during peer work (a promotion, or a move down), counted per move.</summary>
public sealed record TierMove(string From, string To, int? Count);

public sealed record LadderReport(
    DateOnly AsOf, int MinCellSize, int? Spells, IReadOnlyList<string> Stages, IReadOnlyList<string> Tiers,
    IReadOnlyList<string> Outcomes, IReadOnlyList<LadderFlow> Flows, IReadOnlyList<TierMove> Moves)
{
    /// <summary>How the figures were protected (cell key for analysts; suppression or exact otherwise).</summary>
    public Protection? Protection { get; init; }
}

/// <summary>
/// The career ladder as a flow (issue 17, item 5): each first peer-work spell (the peer-work measure's unit) from its
/// tier at the start, to the highest tier it reached, to where it led as of the as-of date: still in peer work, a
/// clinical role, other work, left peer work (without other work), or lost to follow-up. Three stages, so the flow is
/// acyclic and a move down does not loop; every move between tiers (up or down) is counted in a table of its own.
/// Query: the peer-work filters, asOf, format=csv.
/// </summary>
public static class GetLadderEndpoint
{
    public static readonly string[] Stages = ["start", "highest", "outcome"];
    public static readonly string[] Outcomes = ["still in peer work", "clinical role", "other work", "left", "lost"];

    /// <summary>How soon after leaving peer work a job of another kind counts as having moved to it.</summary>
    public const int MoveWindowDays = 90;

    [WolverineGet("/api/retention/ladder",
        Summary = "The career ladder: from the tier at the start to the highest reached and where it led")]
    [Access(Roles.Analyst), Tags("Retention")]
    [ProducesResponseType<LadderReport>(200)]
    [QueryString(Measure.PeerWork, Without = ["groupBy"])]
    public static async Task<IResult> Get(
        HttpRequest request, RetentionFactsCache cache, IOptions<PrivacyOptions> privacy, RecordKeys keys,
        CareerLadder ladder, TimeProvider clock, CancellationToken ct)
    {
        var (query, rejection) = RetentionQuery.Parse(
            Measure.PeerWork, request, clock.Today(), Caller.From(request.HttpContext.User));
        if (rejection is not null) return rejection.ToProblem();
        if (query!.GroupBy is not null)
            return Rejection.BadRequest("invalid-group",
                "The ladder is one flow: narrow it with filters, not 'groupBy'.", "groupBy").ToProblem();
        var view = await cache.ViewAsync(request.HttpContext, ct);
        query = view.Resolve(query);
        var perturbs = PrivacyOptions.Perturbs(request.HttpContext);
        var asOf = query.AsOf;
        // Everyone's path for the date is kept until the facts change; a query takes those it admits (its filters
        // and the caller's states are the spell's attributes).
        var everyone = await cache.MemoAsync("ladder-paths", asOf, view, keyOf =>
            view.All.AsParallel().AsOrdered().Select(f => Path(f, asOf, ladder, keyOf)).OfType<LadderPath>().ToList(),
            ct);
        var paths = everyone.Where(p => query.Admits(p.Spell)).ToList();
        var minCellSize = privacy.Value.MinCellSizeFor(request.HttpContext);
        var table = perturbs ? PerturbationTable.For(minCellSize, view) : null;
        var suppression = new Suppression(minCellSize);
        int? Show(IReadOnlyCollection<LadderPath> members) => table is null
            ? suppression.Show(members.Count)
            : table.Show(table.Protect(members.Count, CellKey.Of(members.Select(m => m.Spell.Key))));
        var tiers = Tiers(ladder);
        var flows = new List<LadderFlow>();
        // One pass per kind of flow (lookups), not one over every path per pair of tiers.
        var byStart = paths.ToLookup(p => (p.Start, p.Highest));
        var byOutcome = paths.ToLookup(p => (p.Highest, p.Outcome));
        foreach (var start in tiers)
        foreach (var highest in tiers)
        {
            var members = byStart[(start, highest)].ToList();
            if (table is null && members.Count == 0) continue;
            flows.Add(new LadderFlow("start", start, "highest", highest, Show(members)));
        }
        foreach (var highest in tiers)
        foreach (var outcome in Outcomes)
        {
            var members = byOutcome[(highest, outcome)].ToList();
            if (table is null && members.Count == 0) continue;
            flows.Add(new LadderFlow("highest", highest, "outcome", outcome, Show(members)));
        }
        // Analysts see every pair of the vocabulary, empty or not: a pair appearing with its first member would
        // date that member's move.
        var byMove = paths.SelectMany(p => p.Moves.Distinct().Select(m => (Move: m, Path: p))).ToLookup(x => x.Move);
        var moves = (from a in tiers from b in tiers where a != b select (a, b))
            .Select(x => (x.a, x.b, Members: byMove[(x.a, x.b)].Select(y => y.Path).ToList()))
            .Select(x => (x.a, x.b, x.Members, Times: x.Members.Sum(p => p.Moves.Count(m => m == (x.a, x.b)))))
            .Where(x => table is not null || x.Times > 0)
            .Select(x => new TierMove(x.a, x.b, table is null
                ? suppression.Show(x.Times)
                : table.Show(table.Protect(x.Times, CellKey.Of(x.Members.SelectMany(p =>
                    p.Moves.Where(m => m == (x.a, x.b)).Select(_ => p.Spell.Key)))))))
            .ToList();
        var report = new LadderReport(query.AsOf, minCellSize, Show(paths), Stages, tiers, Outcomes, flows, moves)
        {
            Protection = table is null ? Protection.Suppression(minCellSize) : Protection.CellKey(table),
        };
        if (!query.Csv) return Results.Ok(report);
        return RetentionCsv.Table("ladder", ["fromStage", "from", "toStage", "to", "count"],
            report.Flows.Select(f => (IReadOnlyList<object?>)[f.FromStage, f.From, f.ToStage, f.To, f.Count])
                .Concat(report.Moves.Select(m => (IReadOnlyList<object?>)["move", m.From, "move", m.To, m.Count])),
            report.Protection);
    }

    /// <summary>The ladder's tiers, then no tier and tiers off the ladder (an employer's own words, as one).</summary>
    public static IReadOnlyList<string> Tiers(CareerLadder ladder) =>
        [.. ladder.Tiers, RetentionQuery.TierOrNone(null), CoxDesign.OffLadder];

    /// <summary>A spell's way up the ladder: its tier at the start and its highest, its moves, its outcome.</summary>
    public sealed record LadderPath(
        Spell Spell, string Start, string Highest, IReadOnlyList<(string From, string To)> Moves, string Outcome);

    public static LadderPath? Path(RetentionFacts f, DateOnly asOf, CareerLadder ladder, Func<Guid, uint>? key)
    {
        if (Spells.For(Measure.PeerWork, f, asOf, key).FirstOrDefault() is not { } spell) return null;
        var episodes = Episodes.For(Measure.PeerWork, f, asOf, ladder).FirstOrDefault();
        if (episodes is null || episodes.Count == 0) return null;
        string Tier(Spell s) => CoxDesign.Levels(ladder)(s, "tier");
        var tiers = episodes.Select(Tier).ToList();
        var moves = tiers.Zip(tiers.Skip(1)).Where(x => x.First != x.Second).ToList();
        int Rank(string t) => ladder.Tiers.ToList().IndexOf(t);
        var highest = tiers.Where(t => Rank(t) >= 0).OrderByDescending(Rank).FirstOrDefault() ?? tiers[0];
        return new LadderPath(spell, tiers[0], highest, moves, Outcome(f, spell, asOf));
    }

    private static string Outcome(RetentionFacts f, Spell spell, DateOnly asOf)
    {
        if (!spell.Observation.Event) return f.FollowedUntil(asOf) < asOf ? "lost" : "still in peer work";
        var peer = f.PeerSpells[0];
        var end = peer.End!.Value;
        var next = f.Jobs.Where(j => j.JobType != "peer" && j.Start <= asOf
                && j.Start >= end.AddDays(-MoveWindowDays) && j.Start <= end.AddDays(MoveWindowDays)
                && (j.End is null || j.End > end))
            .OrderBy(j => j.Start).FirstOrDefault();
        if (peer.Reason == "clinical-role" || next?.JobType == "clinical") return "clinical role";
        return next is not null ? "other work" : "left";
    }
}

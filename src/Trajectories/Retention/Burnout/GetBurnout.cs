using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Trajectories.Careers;
using Trajectories.Retention.Disclosure;
using Trajectories.Retention.Facts;
using Trajectories.Survival;
using Wolverine.Http;
using Trajectories.Retention.Querying;

namespace Trajectories.Retention.Burnout;

/// <summary>
/// Burnout from check-ins: mean exhaustion, cynicism and professional efficacy (Maslach Burnout Inventory subscale
/// means, 0-6) by the job held at the check-in (grouped by job type unless groupBy says otherwise) and by months since
/// that job's hire, with 95% intervals. The research behind the product reports lower exhaustion and cynicism in peer
/// jobs; this lets analysts see whether their data agrees. Query: groupBy, filters (the person's; and the job held at
/// the check-in: jobType, tier and fullTime then, hireYear), asOf, format=csv.
/// </summary>
public static class GetBurnoutEndpoint
{
    public static readonly string[] Scales = ["exhaustion", "cynicism", "professionalEfficacy"];
    public static readonly string[] Bands = ["0-6", "6-12", "12-24", "24-36", "36+"];
    public const string NoJob = "none";

    [WolverineGet("/api/retention/burnout",
        Summary = "Burnout scores from check-ins by job type and time since hire")]
    [Access(Roles.Analyst), Tags("Retention")]
    [ProducesResponseType<BurnoutReport>(200)]
    [QueryString(Measure.Job)]
    public static async Task<IResult> Get(
        HttpRequest request, RetentionFactsCache cache, IOptions<PrivacyOptions> privacy, RecordKeys keys,
        CareerLadder ladder, TimeProvider clock, CancellationToken ct)
    {
        var (query, rejection) = RetentionQuery.Parse(
            Measure.Job, request, clock.Today(), Caller.From(request.HttpContext.User));
        if (rejection is not null) return rejection.ToProblem();
        var view = await cache.ViewAsync(request.HttpContext, ct);
        query = view.Resolve(query! with { GroupBy = query.GroupBy ?? "jobType" });
        var perturbs = PrivacyOptions.Perturbs(request.HttpContext);
        // Everyone's scored check-ins up to the date are kept until the facts change; a query takes those it
        // admits (its filters and the caller's states are the check-in's attributes, as in Answers).
        var asOf = query.AsOf;
        var everyone = await cache.MemoAsync("burnout-answers", asOf, view, keyOf => Answers(
            query with { Filters = new Dictionary<string, string>(), Scope = null }, view.All, keyOf).ToList(), ct);
        var answers = everyone.Where(a => query.Admits(a.Job)).ToList();
        var minCellSize = privacy.Value.MinCellSizeFor(request.HttpContext);
        BurnoutReport report;
        if (perturbs)
        {
            var listable = SurvivalReports.Listable(query, ladder);
            var groups = GroupKeys.For(query, await cache.TableAsync(view, ct), ladder, listable).ToList();
            if (query.GroupBy == "jobType") groups.Add(NoJob);
            var table = PerturbationTable.For(minCellSize, view);
            var protection = Protection.CellKey(table);
            report = Build(query, answers, groups, new Cells(null, table), listable) with
            {
                Protection = protection with
                {
                    Note = protection.Note + " Means and their intervals come from perturbed sums and counts.",
                },
            };
        }
        else
            report = Build(query, answers, null, new Cells(new Suppression(minCellSize), null), null) with
            {
                Protection = Protection.Suppression(minCellSize),
            };
        if (!query.Csv) return Results.Ok(report);
        return RetentionCsv.Table("burnout",
            ["group", "suppressed", "monthsSinceHire", "scale", "people", "mean", "lower", "upper"],
            report.Groups.SelectMany(g => new[] { new BandView("all", g.Scores) }.Concat(g.SinceHire)
                .SelectMany(b => Scales.Select(s => (IReadOnlyList<object?>)
                    [g.Key, g.Suppressed, b.Band, s, b.Scores[s]?.People, b.Scores[s]?.Mean, b.Scores[s]?.Lower,
                        b.Scores[s]?.Upper]))),
            report.Protection);
    }

    /// <summary>One check-in's scores, with the job held then as a spell's attributes (for filters, groups).</summary>
    public sealed record Answer(Guid Person, uint Key, Spell Job, int? Band, decimal?[] Scores);

    /// <summary>
    /// Every scored check-in on or before the as-of date of the people the query admits, with the job held that day:
    /// the earliest-hired peer job held, else the earliest-hired other job, else none (job type "none", no band).
    /// </summary>
    public static IEnumerable<Answer> Answers(
        RetentionQuery query, IEnumerable<RetentionFacts> facts, Func<Guid, uint>? recordKey)
    {
        foreach (var f in facts.Where(f => f.CertifiedOn <= query.AsOf))
        {
            var person = Spells.PersonAttributes(f);
            foreach (var c in f.CheckIns.Where(c => c.On <= query.AsOf))
            {
                var held = f.Jobs.Where(j => j.HeldOn(c.On)).OrderBy(j => j.JobType == "peer" ? 0 : 1)
                    .ThenBy(j => j.Start).FirstOrDefault();
                var attributes = held is null
                    ? person with { JobType = NoJob, Tier = RetentionQuery.TierOrNone(null) }
                    : person with
                    {
                        JobType = held.JobType, Tier = RetentionQuery.TierOrNone(held.TermsOn(c.On).Tier),
                        FullTime = RetentionQuery.Flag(held.TermsOn(c.On).FullTime),
                        HireYear = Cohorts.Name(held.Start.Year),
                    };
                var spell = new Spell(new Observation(0, false), null, attributes);
                if (!query.Admits(spell)) continue;
                int? band = held is null ? null : Band((c.On.DayNumber - held.Start.DayNumber) / (365.25 / 12));
                yield return new Answer(f.Id, recordKey?.Invoke(f.Id) ?? 0, spell, band,
                    [c.Exhaustion, c.Cynicism, c.ProfessionalEfficacy]);
            }
        }
    }

    private static int Band(double months) => months switch { < 6 => 0, < 12 => 1, < 24 => 2, < 36 => 3, _ => 4 };

    /// <summary>Exact cells under suppression (admins), or protected ones (analysts).</summary>
    public sealed record Cells(Suppression? Exact, PerturbationTable? Protected)
    {
        public int MinCellSize => Exact?.MinCellSize ?? Protected!.MinCellSize;

        public bool HidesGroup(IReadOnlyCollection<(Guid Person, uint Key)> people) => Exact is { } s
            ? people.Count == 0 || s.Hides(people.Count)
            : Protected!.Show(Protected.Protect(people.Count, CellKey.Of(people.Select(p => p.Key)))) is null;

        public ScoreView? Score(IReadOnlyList<(double Value, uint Key)> perPerson, int scale)
        {
            var n = perPerson.Count;
            var sum = perPerson.Sum(p => p.Value);
            var squares = perPerson.Sum(p => p.Value * p.Value);
            var estimate = Exact is { } s
                ? n == 0 || s.Hides(n) ? null : MeanEstimate.From(n, sum, squares, 0, 6)
                : MeanEstimate.Protect(Protected!, n, sum, squares, CellKey.Of(perPerson.Select(p => p.Key)),
                    CellKey.Of(perPerson.Select(p => MeanEstimate.ContributionKey(p.Key, (uint)scale, p.Value))), 0,
                    6);
            return estimate is null ? null : new ScoreView(estimate.Mean, estimate.Lower, estimate.Upper,
                estimate.People);
        }
    }

    /// <summary>
    /// Per group, and per band of months since hire, each subscale's mean over people: a person's own check-ins in
    /// the cell are averaged first, so someone answering often counts once and the interval is over people.
    /// </summary>
    public static BurnoutReport Build(RetentionQuery query, IReadOnlyList<Answer> answers,
        IReadOnlyList<string>? listed, Cells cells, Func<string, bool>? listable)
    {
        var byGroup = answers.ToLookup(a => SurvivalReports.GroupKey(a.Job, query.GroupBy));
        var keys = listed ?? byGroup.Select(g => g.Key).Order(StringComparer.Ordinal).ToList();
        var groups = new List<BurnoutGroup>();
        foreach (var key in keys)
        {
            var members = listable is not null && !listable(key) ? [] : byGroup[key].ToList();
            var shownKey = listable is not null && !listable(key) ? SurvivalReports.OtherHidden : key;
            var people = members.Select(a => (a.Person, a.Key)).Distinct().ToList();
            if (cells.HidesGroup(people) || shownKey != key)
            {
                groups.Add(new BurnoutGroup(shownKey, true, Scales.ToDictionary(s => s, _ => (ScoreView?)null),
                    Bands.Select(b => new BandView(b, Scales.ToDictionary(s => s, _ => (ScoreView?)null))).ToList()));
                continue;
            }
            var scores = PerPerson.Of(members);
            groups.Add(new BurnoutGroup(key, false, Scores(scores, 0, cells),
                Bands.Select((b, i) => new BandView(b, Scores(scores, i + 1, cells))).ToList()));
        }
        return new BurnoutReport(query.AsOf, query.GroupBy!, cells.MinCellSize, Scales, Bands,
            groups.DistinctBy(g => (g.Suppressed, g.Key)).ToList());
    }

    private static Dictionary<string, ScoreView?> Scores(PerPerson scores, int cell, Cells cells) =>
        Scales.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => cells.Score(scores.Means(cell, x.i), x.i));

    /// <summary>
    /// A group's check-ins averaged per person, in one pass: for each cell (all, then each band of months since hire)
    /// and scale, each person's mean score (a decimal mean, as LINQ's Average), people in the order of their first
    /// scored check-in there. Grouping the group's check-ins anew for every cell and scale (18 passes with hashing)
    /// had cost one to two seconds at 100,000 people.
    /// </summary>
    private sealed class PerPerson
    {
        private readonly List<(Guid Person, uint Key, decimal Sum, int Count)>[,] _cells;

        private PerPerson(List<(Guid, uint, decimal, int)>[,] cells) => _cells = cells;

        public static PerPerson Of(IReadOnlyList<Answer> answers)
        {
            // Each person is looked up once per check-in; after that every cell finds its slot by array index.
            var people = new Dictionary<(Guid, uint), int>();
            var personOf = new int[answers.Count];
            for (var i = 0; i < answers.Count; i++)
            {
                var who = (answers[i].Person, answers[i].Key);
                if (!people.TryGetValue(who, out var index)) people[who] = index = people.Count;
                personOf[i] = index;
            }
            var cells = new List<(Guid Person, uint Key, decimal Sum, int Count)>[Bands.Length + 1, Scales.Length];
            var slots = new int[Bands.Length + 1, Scales.Length][];
            for (var c = 0; c <= Bands.Length; c++)
            for (var s = 0; s < Scales.Length; s++)
            {
                cells[c, s] = [];
                slots[c, s] = new int[people.Count];
                Array.Fill(slots[c, s], -1);
            }
            for (var i = 0; i < answers.Count; i++)
            {
                var a = answers[i];
                for (var s = 0; s < Scales.Length; s++)
                {
                    if (a.Scores[s] is not { } score) continue;
                    Add(0, s, score);
                    if (a.Band is { } band) Add(band + 1, s, score);
                }

                void Add(int c, int s, decimal score)
                {
                    var list = cells[c, s];
                    ref var slot = ref slots[c, s][personOf[i]];
                    if (slot < 0)
                    {
                        slot = list.Count;
                        list.Add((a.Person, a.Key, 0m, 0));
                    }
                    var (person, key, sum, count) = list[slot];
                    list[slot] = (person, key, sum + score, count + 1);
                }
            }
            return new PerPerson(cells);
        }

        /// <summary>Cell 0 is every check-in; cell b + 1 the band b.</summary>
        public List<(double Value, uint Key)> Means(int cell, int scale) =>
            _cells[cell, scale].Select(p => ((double)(p.Sum / p.Count), p.Key)).ToList();
    }
}

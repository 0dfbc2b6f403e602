using Trajectories.Careers;
using Trajectories.Demo;
using Trajectories.Retention;
using Trajectories.Retention.Facts;
using Trajectories.Retention.Querying;
using Trajectories.Survival;

namespace Trajectories.Tests.Retention;

/// <summary>
/// The columnar copy of the facts (FactsTable) answers what the facts' own methods answer, person by person: who a
/// query admits, the status on any day, which jobs are held, the cohort marks; and the workforce counts built on it
/// equal counts made directly from the objects, cell keys included.
/// </summary>
public class facts_as_columns
{
    private static readonly DateOnly AsOf = new(2026, 10, 31);

    private static readonly Lazy<List<RetentionFacts>> Facts = new(() =>
    {
        var generator = new CohortGenerator(7, new DateOnly(2026, 11, 23));
        return Enumerable.Range(0, 1500).Select(i => RetentionFacts.From(CareerSpec.Given([.. generator.Person(i)]))!)
            .ToList();
    });

    private static uint KeyOf(Guid id) => unchecked((uint)id.GetHashCode() * 2654435761u);

    private static RetentionQuery Query(Dictionary<string, string>? filters = null, IReadOnlySet<string>? scope = null,
        DateOnly? asOf = null) =>
        new(Measure.FirstPeerJob, null, filters ?? [], asOf ?? AsOf, CiTransform.LogLog, false, scope);

    [Fact]
    public void statuses_jobs_and_marks_are_those_of_the_facts()
    {
        var facts = Facts.Value;
        var table = new FactsTable(facts, KeyOf);
        for (var i = 0; i < facts.Count; i++)
        {
            var f = facts[i];
            Assert.Equal(KeyOf(f.Id), table.Key[i]);
            for (var day = f.CertifiedOn.AddDays(-3); day <= AsOf; day = day.AddDays(17))
                Assert.Equal(Array.IndexOf(Vocabulary.Status.All, f.StatusOn(day)), table.StatusOn(i, day.DayNumber));
            var jobs = Enumerable.Range(table.JobAt[i], table.JobAt[i + 1] - table.JobAt[i]).ToList();
            Assert.Equal(f.Jobs, jobs.Select(j => table.Job[j]));
            foreach (var j in jobs)
            {
                var job = table.Job[j];
                Assert.Equal(KeyOf(job.JobId), table.JobKey[j]);
                Assert.Equal(Array.IndexOf(Vocabulary.JobTypes, job.JobType), table.JobType[j]);
                Assert.Equal(job.Reason is null ? -1 : Array.IndexOf(Vocabulary.SeparationReasons, job.Reason),
                    table.JobReason[j]);
                foreach (var day in new[] { job.Start.AddDays(-1), job.Start, job.End ?? AsOf, AsOf })
                    Assert.Equal(job.HeldOn(day), table.HeldOn(j, day.DayNumber));
                foreach (var day in job.Terms.SelectMany(t => new[] { t.On.AddDays(-1), t.On }).Append(AsOf))
                {
                    var (expected, t) = (job.TermsOn(day), table.TermsOn(j, day.DayNumber));
                    Assert.Equal((expected.On.DayNumber, expected.Tier, expected.HourlyWage, expected.FullTime),
                        (table.TermDay[t], table.TermTier[t], table.TermWage[t], table.TermFullTime[t]));
                }
            }
            for (var k = 0; k < FactsTable.MarkMonths.Length; k++)
            {
                var mark = f.CertifiedOn.AddMonths(FactsTable.MarkMonths[k]);
                Assert.Equal(mark.DayNumber, table.MarkDay[i * FactsTable.MarkMonths.Length + k]);
                Assert.Equal(Array.IndexOf(Vocabulary.Status.All, f.StatusOn(mark)),
                    table.MarkStatus[i * FactsTable.MarkMonths.Length + k]);
            }
        }
    }

    public static TheoryData<string> Queries => ["", "state=TX", "state=tx&rural=true", "cohort=2021",
        "credential=YOUTH-PEER&mhpsa=false", "scope=OR,PA", "scope=OR&state=TX", "asOf=2021-06-30",
        "jobType=peer", "state=XX"];

    private static RetentionQuery Parse(string text)
    {
        var filters = new Dictionary<string, string>();
        IReadOnlySet<string>? scope = null;
        var asOf = AsOf;
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = (pair.Split('=')[0], pair.Split('=')[1]);
            if (key == "scope") scope = value.Split(',').ToHashSet(StringComparer.OrdinalIgnoreCase);
            else if (key == "asOf") asOf = DateOnly.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            else filters[key] = value;
        }
        return Query(filters, scope, asOf);
    }

    [Theory, MemberData(nameof(Queries))]
    public void a_query_admits_the_people_the_facts_admit(string text)
    {
        var query = Parse(text);
        var facts = Facts.Value;
        var expected = facts.Select((f, i) => (f, i)).Where(x => x.f.CertifiedOn <= query.AsOf && query.Admits(x.f))
            .Select(x => x.i);
        Assert.Equal(expected, new FactsTable(facts).Select(query));
    }

    [Theory, MemberData(nameof(Queries))]
    public void workforce_counts_equal_counts_over_the_facts(string text)
    {
        var query = Parse(text);
        var from = query.AsOf.AddYears(-2);
        var facts = Facts.Value;
        var people = facts.Where(f => f.CertifiedOn <= query.AsOf && query.Admits(f)).ToList();
        var monthEnds = GetWorkforceSummaryEndpoint.MonthEnds(from, query.AsOf);
        var table = new FactsTable(facts, KeyOf);
        var counts = WorkforceCounts.Count(table, table.Select(query), monthEnds, from, query.AsOf);

        static (int, uint) Cell(IEnumerable<Guid> ids) =>
            ids.Aggregate((0, 0u), (c, id) => (c.Item1 + 1, unchecked(c.Item2 + KeyOf(id))));
        for (var m = 0; m < monthEnds.Count; m++)
        {
            var date = monthEnds[m];
            var present = people.Where(f => f.CertifiedOn <= date).ToList();
            for (var s = 0; s < Vocabulary.Status.All.Length; s++)
                Assert.Equal(Cell(present.Where(f => f.StatusOn(date) == Vocabulary.Status.All[s]).Select(f => f.Id)),
                    counts.Status(m, s));
            Assert.Equal(Cell(present.Where(f => f.Jobs.Any(j => j.JobType == "peer" && j.HeldOn(date)))
                .Select(f => f.Id)), counts.InPeerWork(m));
        }
        var separations = people.SelectMany(f => f.Jobs)
            .Where(j => j.JobType == "peer" && j.End is { } e && e > from && e <= query.AsOf).ToList();
        Assert.Equal(Cell(separations.Select(j => j.JobId)), counts.Separations);
        for (var r = 0; r < Vocabulary.SeparationReasons.Length; r++)
            Assert.Equal(Cell(separations.Where(j => j.Reason == Vocabulary.SeparationReasons[r]).Select(j => j.JobId)),
                counts.Reason(r));
        Assert.Equal(people.SelectMany(f => f.Jobs).Where(j => j.HeldOn(query.AsOf)),
            counts.HeldJobs.Select(j => table.Job[j]));
    }

    [Fact]
    public void nobody_recorded_answers_empty_tables_not_an_error()
    {
        var table = new FactsTable([]);
        Assert.Empty(table.Select(Query()));
        Assert.Empty(GetCohortsEndpoint.Build(Query(), table, new Suppression(11)).Cohorts);
        var summary = GetWorkforceSummaryEndpoint.Build(Query(), AsOf.AddYears(-1), table, new Suppression(11));
        Assert.Equal(0, summary.AveragePeerHeadcount);
        Assert.Empty(table.States(null));
    }

    [Fact]
    public void keyed_tallies_add_up_counts_and_keys_as_one_loop_does()
    {
        var items = Enumerable.Range(0, 50_001).ToArray();
        var (counts, keys) = Tally.CountKeyed(items, 2, (x, c, k) =>
        {
            c[x % 2]++;
            k[x % 2] = unchecked(k[x % 2] + (uint)x * 2654435761u);
        });
        for (var slot = 0; slot < 2; slot++)
        {
            Assert.Equal(items.Count(x => x % 2 == slot), counts[slot]);
            Assert.Equal(items.Where(x => x % 2 == slot).Aggregate(0u, (a, x) => unchecked(a + (uint)x * 2654435761u)),
                keys[slot]);
        }
    }

    [Fact]
    public void the_spell_table_reads_each_grouping_key_where_the_spell_has_it() =>
        Assert.True(SpellTable.KeysInOrder());

    public static TheoryData<string?, string> Groupings => new()
    {
        { null, "" }, { "state", "" }, { "tier", "credential=YOUTH-PEER" }, { "fullTime", "state=TX&rural=true" },
        { "hireYear", "cohort=2021" }, { null, "promoted=true" }, { "credential", "bogus=1" },
        { "jobType", "scope=OR,PA" }, { "mhpsa", "scope=tx&state=TX" },
    };

    [Theory, MemberData(nameof(Groupings))]
    public void spell_groups_are_those_of_filtering_and_grouping_spell_by_spell(string? groupBy, string text)
    {
        var query = Parse(text) with { GroupBy = groupBy };
        foreach (var measure in new[] { Measure.PeerWork, Measure.Job, Measure.FirstPeerJob })
        {
            var spells = Facts.Value.SelectMany(f => Spells.For(measure, f, AsOf, KeyOf)).ToList();
            var table = new SpellTable(spells);
            var expected = spells.Where(query.Admits).GroupBy(s => SurvivalReports.GroupKey(s, groupBy))
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (g.Key, Members: g.Select(s => s.Key).Order().ToList())).ToList();
            var actual = table.Groups(query)
                .Select(g => (g.Key, Members: g.Members.Select(i => table.Spells[i].Key).Order().ToList())).ToList();
            Assert.Equal(expected.Select(g => g.Key), actual.Select(g => g.Key));
            Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First.Members, pair.Second.Members));
        }
    }

    [Fact]
    public void a_job_s_terms_are_read_as_the_job_reads_them_in_any_order_and_none_is_an_error()
    {
        var unsorted = new JobTerms[]
        {
            new(new DateOnly(2024, 6, 1), "Peer II", 21m, 40m), new(new DateOnly(2024, 1, 1), "Peer I", 18m, 20m),
        };
        var job = new JobFacts(Guid.NewGuid(), "peer", new DateOnly(2024, 1, 1), null, null, null, "Peer I", false,
            unsorted);
        var person = new RetentionFacts { Id = Guid.NewGuid(), State = "OR", CertifiedOn = new DateOnly(2023, 1, 1),
            Jobs = [job, job with { JobId = Guid.NewGuid(), Terms = [] }] };
        var table = new FactsTable([person]);
        foreach (var day in new[] { new DateOnly(2023, 12, 1), new DateOnly(2024, 3, 1), new DateOnly(2024, 7, 1) })
            Assert.Equal(job.TermsOn(day).Tier, table.TermTier[table.TermsOn(0, day.DayNumber)]);
        Assert.Throws<InvalidOperationException>(() => table.TermsOn(1, AsOf.DayNumber));
    }
}

using Trajectories.Retention;
using Trajectories.Retention.Facts;
using Trajectories.Retention.Disclosure;
using Trajectories.Survival;

namespace Trajectories.Tests.Retention;

/// <summary>The cell key method's parts (ADR 14): perturbation table, cell keys, the protected life table.</summary>
public class cell_key_method
{
    /// <summary>Keys spread evenly over the key space: the table's distribution exactly, not a sample of it.</summary>
    private static IEnumerable<uint> EvenKeys(int count) =>
        Enumerable.Range(0, count).Select(i => (uint)((ulong)i * 4294967296UL / (ulong)count));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(11)]
    [InlineData(500)]
    public void perturbations_are_unbiased_bounded_and_never_make_a_count_negative(int n)
    {
        var d = EvenKeys(100_000).Select(k => PerturbationTable.Perturbation(n, k)).ToList();
        Assert.Equal(0, d.Average(), 3);
        Assert.True(d.Max() <= PerturbationTable.FirstPerturbation);
        Assert.Equal(-Math.Min(n, PerturbationTable.FirstPerturbation), d.Min());   // down to zero at most
        Assert.All(d, x => Assert.True(n + x >= 0));
        foreach (var (x, p) in PerturbationTable.Distribution(n))
            Assert.Equal(p, d.Count(v => v == x) / 100_000.0, 3);
        Assert.Equal(1, PerturbationTable.Distribution(n).Values.Sum(), 12);
        Assert.Equal(0, PerturbationTable.Distribution(n).Sum(kv => kv.Key * kv.Value), 12);     // unbiased
        // Small cells are not published as themselves most of the time.
        Assert.True(PerturbationTable.Distribution(n)[0] <= 0.40);
    }

    [Fact]
    public void a_count_of_zero_has_no_contributors_and_stays_zero() =>
        Assert.All(EvenKeys(1000), k => Assert.Equal(0, new PerturbationTable(11, Release).Protect(0, k)));

    private const uint Release = 0x2025_0131;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(300)]
    public void a_release_adds_its_own_part_the_same_within_the_release_and_new_in_the_next(int n)
    {
        var january = new PerturbationTable(11, Release);
        var february = new PerturbationTable(11, Release + 1);
        var keys = EvenKeys(100_000).ToList();
        var jan = keys.Select(k => january.Protect(n, k)).ToList();
        Assert.Equal(jan, keys.Select(k => new PerturbationTable(5, Release).Protect(n, k)));
        var feb = keys.Select(k => february.Protect(n, k)).ToList();
        Assert.All(jan.Concat(feb), x => Assert.True(x >= 0 && x <= n + PerturbationTable.MaxPerturbation));
        Assert.Equal(n, jan.Average(), 2);                                              // unbiased
        foreach (var (x, p) in PerturbationTable.PublishedDistribution(n))
            Assert.InRange(jan.Count(v => v == n + x) / 100_000.0, p - 0.005, p + 0.005);
        // An unchanged cell answers alike in two releases only as often as two independent release parts agree
        // (about 0.41 when the first part leaves it at 6 or more); with one part, always.
        var alike = jan.Zip(feb).Count(x => x.First == x.Second) / 100_000.0;
        var agree = PerturbationTable.Distribution(n)
            .Sum(kv => kv.Value * PerturbationTable.ChanceAlikeInTwoReleases(n + kv.Key));
        Assert.InRange(alike, agree - 0.01, agree + 0.01);
        // The release parts of two releases are independent: their correlation is about zero.
        var a = keys.Select((k, i) => jan[i] - n - PerturbationTable.Perturbation(n, k)).ToList();
        var b = keys.Select((k, i) => feb[i] - n - PerturbationTable.Perturbation(n, k)).ToList();
        var covariance = a.Zip(b).Average(x => x.First * x.Second) - a.Average() * b.Average();
        Assert.InRange(covariance, -0.01, 0.01);
    }

    [Fact]
    public void averaging_a_cell_over_many_releases_wears_down_the_release_part_only()
    {
        // 240 releases (20 years of monthly releases) of one unchanged cell of 5: the mean tends to 5 + the first
        // part, which stays as protected as one answer was before releases had parts of their own.
        foreach (var key in EvenKeys(50))
        {
            var mean = Enumerable.Range(0, 240)
                .Select(m => new PerturbationTable(11, (uint)m * 7919u).Protect(5, key)).Average();
            Assert.Equal(5 + PerturbationTable.Perturbation(5, key), mean, 0);
        }
    }

    [Fact]
    public void a_row_of_a_series_is_a_cell_of_its_own_and_the_same_whichever_answer_asks_for_it()
    {
        var table = new PerturbationTable(11, Release);
        var keys = EvenKeys(20_000).ToList();
        var june = keys.Select(k => table.ForRow(new DateOnly(2024, 6, 30)).Protect(40, k)).ToList();
        Assert.Equal(june, keys.Select(k => new PerturbationTable(11, Release).ForRow(new DateOnly(2024, 6, 30))
            .Protect(40, k)));
        // The same people at two month ends: two rows, two release parts (alike about 41% of the time, not always).
        var july = keys.Select(k => table.ForRow(new DateOnly(2024, 7, 31)).Protect(40, k)).ToList();
        var alike = june.Zip(july).Count(x => x.First == x.Second) / 20_000.0;
        var agree = PerturbationTable.Distribution(40)
            .Sum(kv => kv.Value * PerturbationTable.ChanceAlikeInTwoReleases(40 + kv.Key));
        Assert.InRange(alike, agree - 0.02, agree + 0.02);
    }

    [Fact]
    public void the_release_part_has_a_long_tail_so_seeing_minus_one_and_plus_one_does_not_pin_the_centre()
    {
        var release = PerturbationTable.ReleaseDistribution(30);
        Assert.Equal(0.60, release[0], 2);
        Assert.True(release[2] > 0.03 && release[3] > 0.005);
        Assert.Equal(0, release.Sum(kv => kv.Key * kv.Value), 12);
        Assert.Equal(PerturbationTable.ReleasePart, release.Keys.Max());
        // Near zero the part is cut symmetrically: unbiased and never below zero.
        Assert.Equal([-1, 0, 1], PerturbationTable.ReleaseDistribution(1).Keys.Order());
    }

    [Fact]
    public void protected_counts_under_the_minimum_are_not_shown()
    {
        var table = new PerturbationTable(11, Release);
        Assert.Null(table.Show(1));
        Assert.Null(table.Show(10));
        Assert.Equal(11, table.Show(11));
        // Zero too: shown, it would tell an empty group from a group of one whose count is hidden.
        Assert.Null(table.Show(0));
    }

    [Fact]
    public void a_cell_key_depends_on_who_is_in_the_cell_not_on_order()
    {
        uint[] keys = [7, 4_000_000_000, 123_456_789, 99];
        Assert.Equal(CellKey.Of(keys), CellKey.Of(keys.Reverse()));
        Assert.NotEqual(CellKey.Of(keys), CellKey.Of(keys.Skip(1)));
        Assert.Equal(unchecked(7u + 4_000_000_000u + 123_456_789u + 99u), CellKey.Of(keys));
    }

    private static Spell Spell(Random random, string credential, double exit, bool happened, double? entry = null) =>
        new(new Observation(exit, happened, entry), happened ? "burnout" : null,
            new SpellAttributes("TX", "2022", credential, "false", "false", Tier: "none", FullTime: "true"),
            (uint)random.NextInt64(0, 1L << 32));

    private static List<Spell> Cohort(int seed, int count)
    {
        var random = new Random(seed);
        string[] credentials = ["adult-peer", "youth-peer", "family-peer", "recovery-coach"];
        return Enumerable.Range(0, count).Select(i => Spell(random, credentials[i % 4], random.Next(0, 1500),
            random.NextDouble() < 0.6, i % 5 == 0 ? random.Next(1, 200) : null)).ToList();
    }

    [Fact]
    public void the_exact_monthly_table_is_kaplan_meier_on_times_grouped_to_month_ends()
    {
        var spells = Cohort(1, 400);
        var table = MonthlyTable.Build(spells, protect: null);
        var fromTable = KaplanMeier.FromCounts(table.N, table.Rows);
        // Month-end grouping by hand: an exit in month k at k's last day; an entry in month k (before its last day)
        // as at risk from month k, i.e. entered at the end of month k - 1.
        var grouped = spells.Select(s =>
        {
            var exitMonth = MonthlyTable.Month(s.Observation.Exit);
            double? entry = s.Observation.Entry is { } e && e > 0
                ? MonthlyTable.Day(MonthlyTable.Day(MonthlyTable.Month(e)) == e
                    ? MonthlyTable.Month(e) : MonthlyTable.Month(e) - 1)
                : null;
            return new Observation(MonthlyTable.Day(exitMonth), s.Observation.Event, entry);
        }).ToList();
        var want = KaplanMeier.Estimate(grouped);
        var wantSteps = want.Points.Where(p => p.Events > 0).ToList();
        var gotSteps = fromTable.Points.Where(p => p.Events > 0).ToList();
        Assert.Equal(wantSteps.Select(p => (p.Time, p.AtRisk, p.Events)), gotSteps.Select(p => (p.Time, p.AtRisk,
            p.Events)));
        foreach (var (w, g) in wantSteps.Zip(gotSteps)) Assert.Equal(w.Survival, g.Survival, 12);
        // Spells never at risk (follow-up began at or after their exit) are not part of the sample.
        Assert.Equal(spells.Count(s => s.Observation.Entry is not { } e || e < s.Observation.Exit), table.N);
    }

    private static GroupCurve Only(SurvivalReport report, string key) => report.Groups.Single(g => g.Key == key);

    [Fact]
    public void the_same_group_asked_by_a_filter_or_as_a_row_of_a_grouping_answers_the_same()
    {
        var spells = Cohort(2, 600);
        var table = new PerturbationTable(11, Release);
        var asOf = new DateOnly(2025, 1, 31);
        var grouped = ProtectedSurvival.Build(new RetentionQuery(Measure.PeerWork, "credential",
            new Dictionary<string, string> { ["state"] = "TX" }, asOf, CiTransform.LogLog, false), spells, table,
            new Trajectories.Careers.CareerLadder(), new FactsTable([]));
        var filtered = ProtectedSurvival.Build(new RetentionQuery(Measure.PeerWork, null,
            new Dictionary<string, string> { ["state"] = "TX", ["credential"] = "family-peer" }, asOf,
            CiTransform.LogLog, false), spells.AsEnumerable().Reverse(), table,
            new Trajectories.Careers.CareerLadder(), new FactsTable([]));
        var row = Only(grouped, "family-peer");
        var alone = Only(filtered, "all");
        Assert.Equal(row.N, alone.N);
        Assert.Equal(row.Events, alone.Events);
        Assert.Equal(row.Points, alone.Points);
        Assert.Equal(row.At.Values, alone.At.Values);
        Assert.Equal("cell-key", grouped.Protection!.Method);
    }

    [Fact]
    public void protected_curves_of_large_groups_stay_close_to_the_exact_ones()
    {
        var spells = Cohort(3, 800);
        var exact = KaplanMeier.FromCounts(800, MonthlyTable.Build(spells, protect: null).Rows);
        var life = MonthlyTable.Build(spells, new PerturbationTable(11, Release));
        var safe = KaplanMeier.FromCounts(life.N, life.Rows);
        Assert.NotEqual(800, life.N + 1000);         // (protected N is some count near 800)
        foreach (var month in SurvivalReports.Months)
        {
            var day = MonthlyTable.Day(month);
            Assert.True(Math.Abs(exact.At(day)!.Survival - safe.At(day)!.Survival) < 0.02,
                $"month {month}: exact {exact.At(day)!.Survival:F4}, protected {safe.At(day)!.Survival:F4}");
        }
    }
}

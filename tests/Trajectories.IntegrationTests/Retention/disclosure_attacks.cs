using System.Text.Json.Nodes;
using Trajectories.Careers;
using Trajectories.Demo;
using Trajectories.Retention;
using Trajectories.Retention.Disclosure;

namespace Trajectories.IntegrationTests.Retention;

/// <summary>
/// A synthetic cohort (the demo's generator) behind the service, an analyst key, and the admin's exact view (the
/// ground truth attacks are checked against; analysts never see it). A fixed secret and fixed ids make every run draw
/// the same perturbations: the attacks' counts are reproducible, not a new sample each run.
/// </summary>
public abstract class SeededCohortFixture(int seed, int people, int firstJobSeed, string secret) : ServiceFixture
{
    public HttpClient Analyst { get; private set; } = null!;

    protected override IEnumerable<(string Key, string Value)> Settings() =>
    [
        ("Retention:CacheRefreshMilliseconds", "0"), ("Privacy:MinCellSize", "1"), ("Privacy:CellKeySecret", secret),
    ];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var generator = new CohortGenerator(seed, new DateOnly(2025, 6, 30));
        await using (var session = Store.LightweightSession())
        {
            for (var i = 0; i < people; i++)
                session.Events.StartStream<Specialist>(new Guid(i + 1, 0, 0, new byte[8]),
                    generator.Person(firstJobSeed + i));
            await session.SaveChangesAsync();
        }
        await Store.WaitForRetentionFactsAsync(TimeSpan.FromSeconds(120));
        Analyst = ClientWith((await CreateKeyAsync(Roles.Analyst)).Key);
    }
}

/// <summary>The 500-person cohort the attacks of issue 16 run against.</summary>
public sealed class DisclosureFixture() : SeededCohortFixture(11, 500, 80_000_000,
    "disclosure-attacks-fixed-secret-0123456789");

/// <summary>
/// The three attacks of issue 16, and a fourth, run with an analyst key against what the admin's exact view says
/// (ADR 14). An attack may land on a true value by chance, at the rate the perturbation table gives, but the
/// analyst can never tell when: the test fails if any attack recovers its targets more often than that rate allows,
/// or recovers every one of them.
/// </summary>
public class disclosure_attacks(DisclosureFixture service, Xunit.Abstractions.ITestOutputHelper output)
    : IClassFixture<DisclosureFixture>
{
    private const string AsOf = "2024-12-31";   // a year end: analysts' dates inside a release are year ends
    private static readonly string[] States = ["OR", "PA", "GA", "TX"];
    private static readonly string[] Credentials = ["adult-peer", "youth-peer", "family-peer", "recovery-coach"];

    private async Task<JsonObject> Get(HttpClient client, string url) =>
        (await (await client.GetAsync(url)).Json()).AsObject();

    private static int? N(JsonObject report, string key = "all") =>
        report["groups"]!.AsArray().FirstOrDefault(g => g!["key"]!.GetValue<string>() == key)?["n"]
            ?.GetValue<int?>();

    /// <summary>
    /// Exact recoveries must stay within the documented rates (the expected count plus three standard deviations, the
    /// attempts being few), and must not be all of the attempts: the analyst can never be sure of one.
    /// </summary>
    /// <param name="shared">
    /// Whether attempts share cells (a curve's steps: month k's step and month k + 1's both use month k's cumulative
    /// cell), which makes their outcomes dependent and their count vary more than independent attempts would: the
    /// allowance is then twice as wide. The secret is new in every run, so the count differs run to run.
    /// </param>
    private static void WithinRate(int exact, IReadOnlyList<double> rates, string attack, bool shared = false)
    {
        Assert.True(rates.Count >= 8, $"{attack}: only {rates.Count} attempts; the seeded cohort should give more");
        var expected = rates.Sum();
        var allowed = expected + (shared ? 6 : 3) * Math.Sqrt(rates.Sum(r => r * (1 - r))) + 1;
        Assert.True(exact <= allowed, $"{attack}: {exact} of {rates.Count} recovered exactly (expected about " +
                                      $"{expected:F1} by the documented rates, at most {allowed:F1} allowed)");
        Assert.True(exact < rates.Count, $"{attack}: every target recovered exactly");
    }

    private static void WithinRate(int exact, int attempts, double rate, string attack) =>
        WithinRate(exact, Enumerable.Repeat(rate, attempts).ToList(), attack);

    private static readonly (string Key, string[] Values)[] Partitions =
    [
        ("credential", Credentials), ("rural", ["true", "false"]), ("mhpsa", ["true", "false"]),
    ];

    [Fact]
    public async Task differencing_filters_does_not_give_the_hidden_cell()
    {
        var exact = 0;
        var rates = new List<double>();
        foreach (var measure in new[] { "peer-work", "first-peer-job", "job" })
        foreach (var state in States)
        {
            var total = N(await Get(service.Analyst, $"/api/retention/{measure}?state={state}&asOf={AsOf}"));
            foreach (var (key, values) in Partitions)
            {
                var shown = new Dictionary<string, int?>();
                foreach (var v in values)
                    shown[v] = N(await Get(service.Analyst,
                        $"/api/retention/{measure}?state={state}&{key}={v}&asOf={AsOf}"));
                foreach (var target in values)
                {
                    var others = values.Where(v => v != target).Select(v => shown[v]).ToList();
                    if (total is null || others.Any(o => o is null)) continue;
                    var derived = total.Value - others.Sum()!.Value;
                    var truth = N(await Get(service.Client,
                        $"/api/retention/{measure}?state={state}&{key}={target}&asOf={AsOf}")) ?? 0;
                    // The derived value carries the noise of the total and of each other cell (all shown, so 11 or
                    // more): the target's own size does not enter it.
                    rates.Add(PerturbationTable.ChanceOfExactDifference(values.Length));
                    if (derived == truth) exact++;
                }
            }
        }
        WithinRate(exact, rates, "filter differencing", shared: true);
    }

    [Fact]
    public async Task reading_the_steps_of_a_curve_does_not_give_anyones_exit()
    {
        var exact = 0;
        var rates = new List<double>();
        foreach (var state in States)
        {
            var safe = await Get(service.Analyst, $"/api/retention/peer-work?state={state}&asOf={AsOf}");
            var truth = await Get(service.Client, $"/api/retention/peer-work?state={state}&asOf={AsOf}");
            var exactByMonth = truth["groups"]![0]!["points"]!.AsArray()
                .GroupBy(p => MonthlyTable.Month(p!["day"]!.GetValue<double>()))
                .ToDictionary(g => MonthlyTable.Day(g.Key), g => g.Sum(p => p!["events"]!.GetValue<int>()));
            var running = 0;
            var eventsBy = exactByMonth.OrderBy(x => x.Key).ToDictionary(x => x.Key, x => running += x.Value);
            var points = safe["groups"]![0]!["points"]!.AsArray();
            double previous = 1;
            foreach (var p in points)
            {
                var s = p!["survival"]!.GetValue<double>();
                var derived = (int)Math.Round(p["atRisk"]!.GetValue<int>() * (1 - s / previous));
                previous = s;
                var day = (int)p["day"]!.GetValue<double>();
                if (exactByMonth.GetValueOrDefault(day) is not (> 0 and var events) || events > 10) continue;
                rates.Add(PerturbationTable.ChanceOfExactDifference(eventsBy[day], eventsBy[day] - events));
                if (derived == events) exact++;
            }
        }
        WithinRate(exact, rates, "step reading", shared: true);
    }

    [Fact]
    public async Task reading_the_steps_of_the_reasons_does_not_give_anyones_reason_for_leaving()
    {
        var exact = 0;
        var rates = new List<double>();
        foreach (var state in States)
        {
            var safe = await Get(service.Analyst, $"/api/retention/reasons?state={state}&asOf={AsOf}");
            var truth = await Get(service.Client, $"/api/retention/reasons?state={state}&asOf={AsOf}");
            var reasons = safe["reasons"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
            // The exact leavers per month and reason, from the exact incidence steps: d = ΔCIF · n / S(before).
            var exactSteps = new Dictionary<(int Day, string Reason), int>();
            var cumulative = new Dictionary<(int Day, string Reason), int>();
            double sBefore = 1;
            var before = reasons.ToDictionary(r => r, _ => 0d);
            foreach (var p in truth["groups"]![0]!["points"]!.AsArray())
            {
                var day = MonthlyTable.Day(MonthlyTable.Month(p!["day"]!.GetValue<double>()));
                foreach (var r in reasons)
                {
                    var now = p["incidence"]![r]?.GetValue<double>() ?? 0;
                    var d = (int)Math.Round((now - before[r]) * p["atRisk"]!.GetValue<int>() / sBefore);
                    exactSteps[(day, r)] = exactSteps.GetValueOrDefault((day, r)) + d;
                    before[r] = now;
                }
                sBefore = p["survival"]!.GetValue<double>();
            }
            foreach (var r in reasons)
            {
                var running = 0;
                foreach (var step in exactSteps.Where(x => x.Key.Reason == r).OrderBy(x => x.Key.Day))
                    cumulative[step.Key] = running += step.Value;
            }
            sBefore = 1;
            before = reasons.ToDictionary(r => r, _ => 0d);
            foreach (var p in safe["groups"]![0]!["points"]!.AsArray())
            {
                var s = p!["survival"]!.GetValue<double>();
                var shown = reasons.Where(r => p["incidence"]![r] is not null).ToList();
                if (shown.Count == reasons.Count)
                    Assert.Equal(1, s + reasons.Sum(r => p["incidence"]![r]!.GetValue<double>()), 9);
                // A reason with hidden leavers has its curve hidden too.
                foreach (var r in reasons.Except(shown))
                    Assert.Null(safe["groups"]![0]!["leavers"]![r]?.GetValue<int?>());
                foreach (var r in shown)
                {
                    var now = p["incidence"]![r]!.GetValue<double>();
                    var derived = (int)Math.Round((now - before[r]) * p["atRisk"]!.GetValue<int>() / sBefore);
                    before[r] = now;
                    if (exactSteps.GetValueOrDefault(((int)p["day"]!.GetValue<double>(), r)) is not (> 0 and var
                        truthCount) || truthCount > 10) continue;
                    // The step is the difference of two cumulative cells: this month's and the month before's.
                    var by = cumulative[((int)p["day"]!.GetValue<double>(), r)];
                    rates.Add(PerturbationTable.ChanceOfExactDifference(by, by - truthCount));
                    if (derived == truthCount) exact++;
                }
                sBefore = s;
            }
        }
        WithinRate(exact, rates, "reasons step reading", shared: true);
    }

    /// <summary>
    /// The equality oracle across as-of dates (ADR 14): between two month ends in which exactly one person of a state
    /// left peer work (the admin's exact view says who), an analyst compared the two answers: with one perturbation
    /// per cell only the cells that person touched changed, so the one reason whose series changed was theirs and
    /// the first month of the curve that changed was their tenure (20 of 36 such months here). A release answers a
    /// cell the same through every as-of date, so within a release an analyst's earlier dates are year ends: the two
    /// month ends answer alike, as the same year end, and there is nothing to compare.
    /// </summary>
    [Fact]
    public async Task comparing_two_month_ends_does_not_say_which_cells_a_lone_leaver_changed()
    {
        var reasons = Vocabulary.SeparationReasons.ToList();
        var lone = 0;
        foreach (var state in States)
        {
            JsonObject? previousExact = null;
            string? previousAnswer = null;
            for (var m = new DateOnly(2020, 1, 31); m <= new DateOnly(2025, 6, 30); m = m.AddDays(1).AddMonths(1)
                     .AddDays(-1))
            {
                var url = $"/api/retention/reasons?state={state}&asOf={m:yyyy-MM-dd}";
                var exact = await Get(service.Client, url);
                var safe = await Get(service.Analyst, url);
                var curve = await Get(service.Analyst, $"/api/retention/peer-work?state={state}&asOf={m:yyyy-MM-dd}");
                var yearEnd = m.Month == 12 ? m : new DateOnly(m.Year - 1, 12, 31);
                Assert.Equal(yearEnd.ToString("yyyy-MM-dd"), safe["asOf"]!.GetValue<string>());
                Assert.Equal(yearEnd.ToString("yyyy-MM-dd"), curve["asOf"]!.GetValue<string>());
                var answer = safe.ToJsonString() + curve.ToJsonString();
                if (previousExact is not null)
                {
                    int Leavers(JsonObject report, string r) =>
                        report["groups"]![0]!["leavers"]![r]?.GetValue<int?>() ?? 0;
                    var rises = reasons.Where(r => Leavers(exact, r) != Leavers(previousExact, r)).ToList();
                    if (rises.Count == 1 && Leavers(exact, rises[0]) - Leavers(previousExact, rises[0]) == 1
                        && m.Month != 12)
                    {
                        lone++;
                        Assert.Equal(previousAnswer, answer);
                    }
                }
                (previousExact, previousAnswer) = (exact, answer);
            }
        }
        output.WriteLine($"{lone} months with a lone leaver: both month ends answered alike in every one");
        Assert.True(lone >= 8, $"only {lone} months with a lone leaver; the seeded cohort should give more");
    }

    /// <summary>
    /// The same oracle inside one answer (a hostile analyst's first finding): the workforce summary's monthly rows
    /// are month ends, and two rows with the same people answered exactly alike, so a row that moved said that
    /// someone's status changed that month, and which filters' rows moved said who. Each row now has a release part
    /// of its own: rows whose people did not change move at the tables' rate. And a row is one cell within the
    /// release: asked through other as-of dates and periods it answers the same, so there is nothing to average.
    /// </summary>
    [Fact]
    public async Task the_rows_of_a_monthly_series_do_not_say_in_which_month_someone_changed()
    {
        int unchanged = 0, moved = 0;
        double expected = 0;
        foreach (var state in States)
        {
            var url = $"/api/workforce/summary?state={state}&asOf={AsOf}&from=2019-12-31";
            var exact = (await Get(service.Client, url))["monthly"]!.AsArray();
            var safe = (await Get(service.Analyst, url))["monthly"]!.AsArray();
            Assert.Equal(exact.Count, safe.Count);
            for (var i = 1; i < exact.Count; i++)
            foreach (var status in exact[i]!["headcount"]!.AsObject().Select(kv => kv.Key))
            {
                var (was, now) = (exact[i - 1]!["headcount"]![status]?.GetValue<int?>(),
                    exact[i]!["headcount"]![status]?.GetValue<int?>());
                var (shownWas, shownNow) = (safe[i - 1]!["headcount"]![status]?.GetValue<int?>(),
                    safe[i]!["headcount"]![status]?.GetValue<int?>());
                if (was != now || shownWas is null || shownNow is null) continue;
                unchanged++;
                if (shownWas != shownNow) moved++;
                expected += 1 - PerturbationTable.Distribution(was!.Value)
                    .Sum(kv => kv.Value * PerturbationTable.ChanceAlikeInTwoReleases(was.Value + kv.Key));
            }
            // The same rows through another as-of date and period of the same release: the same numbers.
            var other = (await Get(service.Analyst,
                $"/api/workforce/summary?state={state}&asOf=2023-12-31&from=2019-12-31"))["monthly"]!.AsArray();
            foreach (var row in other)
                Assert.Equal(row!.ToJsonString(),
                    safe.Single(r => r!["month"]!.GetValue<string>() == row["month"]!.GetValue<string>())!
                        .ToJsonString());
        }
        output.WriteLine($"{moved} of {unchanged} rows with the same people moved (the tables expect {expected:F0})");
        Assert.True(unchanged >= 100, $"only {unchanged} unchanged rows");
        var sd = Math.Sqrt(unchanged * 0.25);
        Assert.InRange(moved, expected - 4 * sd, expected + 4 * sd);
    }

    [Fact]
    public async Task dates_inside_one_month_give_one_answer_and_say_which_date_they_are()
    {
        var answers = new List<string>();
        foreach (var day in new[] { "2024-01-01", "2024-01-02", "2024-01-17", "2024-01-30" })
        {
            var report = await Get(service.Analyst, $"/api/retention/first-peer-job?state=TX&asOf={day}");
            Assert.Equal("2023-12-31", report["asOf"]!.GetValue<string>());
            answers.Add(report["groups"]!.ToJsonString());
        }
        Assert.Single(answers.Distinct());
        // Inside the release's history a month end answers as its year end; the release's own month end as itself.
        var monthEnd = await Get(service.Analyst, "/api/retention/first-peer-job?state=TX&asOf=2024-01-31");
        Assert.Equal("2023-12-31", monthEnd["asOf"]!.GetValue<string>());
        var current = await Get(service.Analyst, "/api/retention/first-peer-job?state=TX");
        var released = (await Get(service.Client, "/api/admin/releases/current"))["asOf"]!.GetValue<string>();
        Assert.Equal(released, current["asOf"]!.GetValue<string>());
        // The admin's view keeps the day asked for.
        Assert.Equal("2024-01-17",
            (await Get(service.Client, "/api/retention/first-peer-job?state=TX&asOf=2024-01-17"))["asOf"]!
            .GetValue<string>());
    }

    [Fact]
    public async Task a_cell_answers_the_same_by_filter_by_grouping_by_csv_and_on_every_repeat()
    {
        foreach (var state in States)
        {
            var grouped = await Get(service.Analyst,
                $"/api/retention/peer-work?state={state}&groupBy=credential&asOf={AsOf}");
            foreach (var c in Credentials)
            {
                var alone = await Get(service.Analyst,
                    $"/api/retention/peer-work?state={state}&credential={c}&asOf={AsOf}");
                var again = await Get(service.Analyst,
                    $"/api/retention/peer-work?state={state}&credential={c}&asOf={AsOf}");
                Assert.Equal(alone.ToJsonString(), again.ToJsonString());
                var row = grouped["groups"]!.AsArray().FirstOrDefault(g => g!["key"]!.GetValue<string>() == c);
                if (row is null) continue;
                Assert.Equal(row["n"]?.GetValue<int?>(), N(alone));
                Assert.Equal(row["points"]!.ToJsonString(), alone["groups"]![0]!["points"]!.ToJsonString());
            }
            var csv = await service.Analyst.GetStringAsync(
                $"/api/retention/peer-work?state={state}&groupBy=credential&asOf={AsOf}&format=csv");
            // A download travels without its answer: every row says how it was protected.
            var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.EndsWith(",protection", lines[0].TrimEnd('\r'));
            Assert.All(lines.Skip(1), l => Assert.EndsWith(",cell-key", l.TrimEnd('\r')));
            foreach (var g in grouped["groups"]!.AsArray().Where(g => !g!["suppressed"]!.GetValue<bool>()))
                Assert.Equal(g!["points"]!.AsArray().Count,
                    csv.Split('\n').Count(line => line.Contains($",{g["key"]!.GetValue<string>()},false,")));
        }
        // Overlapping filters (a fourth attack): rural people of a state as the state less its non-rural people.
        int exact = 0, attempts = 0;
        foreach (var state in States)
        foreach (var measure in new[] { "peer-work", "first-peer-job", "job" })
        {
            var all = N(await Get(service.Analyst, $"/api/retention/{measure}?state={state}&asOf={AsOf}"));
            var notRural = N(await Get(service.Analyst,
                $"/api/retention/{measure}?state={state}&rural=false&asOf={AsOf}"));
            var truth = N(await Get(service.Client, $"/api/retention/{measure}?state={state}&rural=true&asOf={AsOf}"));
            if (all is null || notRural is null || truth is null) continue;
            attempts++;
            if (all - notRural == truth) exact++;
        }
        WithinRate(exact, attempts, PerturbationTable.ChanceOfExactDifference(2), "overlapping filters");
    }

    [Fact]
    public async Task derived_workforce_and_cohort_figures_come_from_protected_counts_or_hide_with_them()
    {
        var tried = 0;
        foreach (var state in States)
        foreach (var filter in new[] { "", "&credential=family-peer", "&credential=youth-peer&rural=true" })
        {
            var summary = await Get(service.Analyst,
                $"/api/workforce/summary?state={state}{filter}&asOf={AsOf}&from=2024-06-30");
            var monthlyPeer = summary["monthly"]!.AsArray()
                .Select(m => m!["headcount"]!["employed-peer"]?.GetValue<int?>()).ToList();
            var average = summary["averagePeerHeadcount"]?.GetValue<double?>();
            // "Average in peer work 1.1" beside a hidden headcount was the leak: no average without its counts.
            if (monthlyPeer.Any(c => c is null)) Assert.Null(average);
            Assert.Equal("cell-key", summary["protection"]!["method"]!.GetValue<string>());
            foreach (var wage in summary["wages"]!.AsArray())
                if (wage!["jobs"]?.GetValue<int?>() is null) Assert.Null(wage["medianHourlyWage"]);
            tried++;
        }
        Assert.Equal(12, tried);

        var grid = await Get(service.Analyst, $"/api/retention/cohorts?state=TX&asOf={AsOf}");
        foreach (var cell in grid["cohorts"]!.AsArray().SelectMany(r => r!["cells"]!.AsArray()))
        foreach (var category in grid["categories"]!.AsArray().Select(c => c!.GetValue<string>()))
        {
            var count = cell!["counts"]![category]?.GetValue<int?>();
            var share = cell["shares"]![category]?.GetValue<double?>();
            Assert.Equal(count is null, share is null);
            if (count is { } n && cell["observed"]?.GetValue<int?>() is { } seen and > 0)
                Assert.Equal(Math.Round(Math.Min(1, (double)n / seen), 4), share!.Value, 10);
        }
    }

    [Fact]
    public async Task a_group_of_one_answers_exactly_as_an_empty_group_does()
    {
        // Narrow filters (one state, cohort, credential, rural, MHPSA) hold a person or nobody; the admin knows which.
        string? one = null, none = null;
        foreach (var state in States)
        foreach (var cohort in new[] { 2019, 2020, 2021, 2022, 2023 })
        foreach (var credential in Credentials)
        foreach (var rural in new[] { "true", "false" })
        {
            var atom = $"state={state}&cohort={cohort}&credential={credential}&rural={rural}&mhpsa=true";
            var exact = await Get(service.Client, $"/api/retention/first-peer-job?{atom}&asOf={AsOf}");
            var n = exact["groups"]!.AsArray().Sum(g => g!["n"]?.GetValue<int>() ?? 0);
            if (n == 1) one ??= atom;
            if (n == 0) none ??= atom;
        }
        Assert.NotNull(one);
        Assert.NotNull(none);
        // Every answer about the two is the same, but for what is not about anyone (the filters they echo).
        foreach (var url in new[]
                 {
                     "/api/retention/first-peer-job?{0}", "/api/retention/peer-work?{0}&groupBy=fullTime",
                     "/api/retention/job?{0}&groupBy=jobType", "/api/retention/reasons?{0}",
                     "/api/retention/cohorts?{0}", "/api/workforce/summary?{0}&from=2019-12-31",
                 })
        {
            var a = await Get(service.Analyst, string.Format(url, one) + $"&asOf={AsOf}");
            var b = await Get(service.Analyst, string.Format(url, none) + $"&asOf={AsOf}");
            foreach (var answer in new[] { a, b }) answer.Remove("protection");
            Assert.Equal(b.ToJsonString(), a.ToJsonString());
        }
    }

    [Fact]
    public async Task the_workforce_period_is_whole_years_back_from_the_as_of_month_end()
    {
        // Windows starting any month differed exactly when someone left in the month between them (third attack).
        var answers = new List<string>();
        foreach (var from in new[] { "2023-11-30", "2023-12-31", "2024-01-15", "2024-02-29" })
        {
            var summary = await Get(service.Analyst, $"/api/workforce/summary?state=OR&asOf={AsOf}&from={from}");
            Assert.Equal("2023-12-31", summary["from"]!.GetValue<string>());
            answers.Add(summary.ToJsonString());
        }
        Assert.Single(answers.Distinct());
        var twoYears = await Get(service.Analyst, $"/api/workforce/summary?state=OR&asOf={AsOf}&from=2023-03-01");
        Assert.Equal("2022-12-31", twoYears["from"]!.GetValue<string>());
    }

    [Fact]
    public async Task every_survival_answer_says_how_it_was_protected()
    {
        var safe = await Get(service.Analyst, $"/api/retention/job?asOf={AsOf}");
        Assert.Equal("cell-key", safe["protection"]!["method"]!.GetValue<string>());
        Assert.Equal(PerturbationTable.MaxPerturbation, safe["protection"]!["maxPerturbation"]!.GetValue<int>());
        Assert.Contains("month ends", safe["protection"]!["note"]!.GetValue<string>());
        var exact = await Get(service.Client, $"/api/retention/job?asOf={AsOf}");
        Assert.Equal("exact", exact["protection"]!["method"]!.GetValue<string>());
    }
}

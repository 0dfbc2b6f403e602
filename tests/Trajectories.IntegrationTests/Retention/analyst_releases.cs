using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Trajectories.Careers;
using Trajectories.Retention.Disclosure;
using Trajectories.Retention.Facts;

namespace Trajectories.IntegrationTests.Retention;

/// <summary>400 synthetic careers and an analyst key: the releases analysts' answers come from (ADR 14).</summary>
public sealed class ReleaseFixture() : SeededCohortFixture(5, 400, 90_000_000,
    "analyst-releases-fixed-secret-0123456789");

/// <summary>
/// The equality oracle across recording time: an answer for a fixed month end used to change the moment a late event
/// was recorded, and only in that person's cells. Analysts now see a release of what was recorded when it was cut;
/// a late record enters with the next release, and every cell moves with it.
/// </summary>
public class analyst_releases(ReleaseFixture service) : IClassFixture<ReleaseFixture>
{
    private const string Cohorts = "/api/retention/cohorts?asOf=2024-12-31";
    private const string Reasons = "/api/retention/reasons?asOf=2024-12-31";

    private async Task<JsonObject> Get(HttpClient client, string url) =>
        (await (await client.GetAsync(url)).Json()).AsObject();

    private static Dictionary<string, int?> Cells(JsonObject grid) =>
        grid["cohorts"]!.AsArray().SelectMany(r => r!["cells"]!.AsArray().SelectMany(c =>
            c!["counts"]!.AsObject().Select(kv => (
                Key: $"{r["cohort"]}/{c["months"]}/{kv.Key}", Value: kv.Value?.GetValue<int?>()))))
            .ToDictionary(x => x.Key, x => x.Value);

    [Fact]
    public async Task a_late_record_reaches_analysts_with_the_next_release_and_every_cell_moves_with_it()
    {
        var first = await Get(service.Analyst, Cohorts);
        var firstReasons = await Get(service.Analyst, Reasons);
        var release = first["protection"]!["release"]!.GetValue<string>();
        Assert.Matches(@"^\d{4}-\d{2}\.\d+$", release);
        Assert.Contains("recorded by", first["protection"]!["note"]!.GetValue<string>());
        var exactBefore = Cells(await Get(service.Client, Cohorts));
        var exactReasons = (await Get(service.Client, Reasons)).ToJsonString();

        // A late record: someone in a peer job on the year end is entered as having left for burnout months before.
        Guid person;
        Guid job;
        await using (var query = service.Store.QuerySession())
        {
            var facts = await query.Query<RetentionFacts>().ToListAsync();
            var (f, j) = facts.SelectMany(f => f.Jobs.Select(j => (f, j)))
                .First(x => x.j.JobType == "peer" && x.j.Start < new DateOnly(2023, 1, 1) && x.j.End is null);
            (person, job) = (f.Id, j.JobId);
        }
        await using (var session = service.Store.LightweightSession())
        {
            session.Events.Append(person, new Separated(job, "burnout", true, new DateOnly(2024, 4, 15), null));
            await session.SaveChangesAsync();
        }
        await service.Store.WaitForRetentionFactsAsync(TimeSpan.FromSeconds(60));
        var exactAfter = Cells(await Get(service.Client, Cohorts));
        // The admin's exact view has it at once.
        Assert.NotEqual(exactReasons, (await Get(service.Client, Reasons)).ToJsonString());

        // Analysts: the same release, the same answers, however often they ask.
        Assert.Equal(first.ToJsonString(), (await Get(service.Analyst, Cohorts)).ToJsonString());
        Assert.Equal(firstReasons.ToJsonString(), (await Get(service.Analyst, Reasons)).ToJsonString());

        // An admin cuts the next release: the late record is in it, and the cells it did not touch move too.
        var cut = await service.Client.PostAsync("/api/admin/releases", null);
        Assert.Equal(HttpStatusCode.Created, cut.StatusCode);
        var next = (await cut.Json())["id"]!.GetValue<string>();
        Assert.NotEqual(release, next);
        // Nothing recorded since: a repeated cut (a retry, a double click) makes no new release.
        var again = await service.Client.PostAsync("/api/admin/releases", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(next, (await again.Json())["id"]!.GetValue<string>());
        var current = await Get(service.Client, "/api/admin/releases/current");
        Assert.Equal(next, current["id"]!.GetValue<string>());
        Assert.Equal(400, current["people"]!.GetValue<int>());
        var second = await Get(service.Analyst, Cohorts);
        Assert.Equal(next, second["protection"]!["release"]!.GetValue<string>());
        var (before, after) = (Cells(first), Cells(second));
        int unchanged = 0, moved = 0;
        double expected = 0;
        foreach (var (key, exact) in exactBefore)
        {
            if (exactAfter[key] != exact || before[key] is not { } was || after[key] is not { } now) continue;
            unchanged++;
            if (was != now) moved++;
            expected += 1 - PerturbationTable.Distribution(exact!.Value)
                .Sum(kv => kv.Value * PerturbationTable.ChanceAlikeInTwoReleases(exact.Value + kv.Key));
        }
        Assert.True(unchanged >= 30, $"only {unchanged} cells shown in both releases whose truth did not change");
        var sd = Math.Sqrt(unchanged * 0.25);
        Assert.True(Math.Abs(moved - expected) < 4 * sd,
            $"{moved} of {unchanged} untouched cells moved with the new release; the tables expect {expected:F0}");
    }

    [Fact]
    public async Task nodes_racing_to_cut_a_release_serve_the_same_one()
    {
        var options = Microsoft.Extensions.Options.Options.Create(
            new Trajectories.Retention.RetentionCacheOptions { CacheRefreshMilliseconds = 0 });
        // A month no release exists for (in the past, so the fixture's own releases stay the newest): two nodes'
        // first analyst answers of it, at once.
        var clock = new FixedClock(new DateTimeOffset(2020, 3, 2, 8, 0, 0, TimeSpan.Zero));
        var a = new AnalystReleases(service.Store, clock, options);
        var b = new AnalystReleases(service.Store, clock, options);
        IReadOnlyList<RetentionFacts> live = Enumerable.Range(0, 2500).Select(i => new RetentionFacts
        {
            Id = new Guid(i + 7, 0, 0, new byte[8]), State = "OR",
        }).ToList();
        Task<IReadOnlyList<RetentionFacts>> Live(CancellationToken _) => Task.FromResult(live);
        var both = await Task.WhenAll(a.CurrentAsync(Live, default), b.CurrentAsync(Live, default));
        Assert.Equal("2020-03.1", both[0].Release.Id);
        Assert.Equal(both[0].Release.Id, both[1].Release.Id);
        Assert.Equal(2500, both[0].Facts.Count);
        Assert.Equal(2500, both[1].Facts.Count);
        Assert.Equal(2, both[0].Release.Chunks);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

/// <summary>A node whose retention projection does not run (its daemon is off and no other node runs one).</summary>
public sealed class StalledProjectionFixture : ServiceFixture
{
    protected override IEnumerable<(string Key, string Value)> Settings() => [("Projections:Daemon", "off")];
}

/// <summary>No release is cut from facts the projection has not caught up with (a hostile review's finding).</summary>
public class releases_and_a_stalled_projection(StalledProjectionFixture service)
    : IClassFixture<StalledProjectionFixture>
{
    [Fact]
    public async Task no_release_is_cut_while_recorded_events_wait_to_be_counted()
    {
        var analyst = service.ClientWith((await service.CreateKeyAsync(Roles.Analyst)).Key);
        await using (var session = service.Store.LightweightSession())
        {
            session.Events.StartStream<Specialist>(Guid.NewGuid(),
                new Trajectories.Demo.CohortGenerator(3, new DateOnly(2025, 6, 30)).Person(1).ToArray());
            await session.SaveChangesAsync();
        }
        await Task.Delay(AnalystReleases.MaxLagAtCut + TimeSpan.FromSeconds(1));
        var problem = await (await analyst.GetAsync("/api/retention/peer-work"))
            .ShouldBeProblem(HttpStatusCode.ServiceUnavailable, "release-not-ready");
        Assert.Contains("Try again", problem["detail"]!.GetValue<string>());
        // Nor by an admin: a cut mid-backlog would serve part of the people for a month.
        await (await service.Client.PostAsync("/api/admin/releases", null))
            .ShouldBeProblem(HttpStatusCode.ServiceUnavailable, "release-not-ready");
        await using var query = service.Store.QuerySession();
        Assert.Equal(0, await query.Query<AnalystRelease>().CountAsync());
    }

    [Fact]
    public async Task a_cohort_year_out_of_range_is_a_clear_error_not_a_500()
    {
        var analyst = service.ClientWith((await service.CreateKeyAsync(Roles.Analyst)).Key);
        foreach (var cohort in new[] { "0", "1969", "9999", "99999" })
        foreach (var client in new[] { analyst, service.Client })
            await (await client.GetAsync($"/api/retention/cohorts?cohort={cohort}"))
                .ShouldBeProblem(HttpStatusCode.BadRequest, "invalid-value");
    }
}

/// <summary>Cuts at a month's turn do not delete each other's facts (a hostile review's finding).</summary>
public class releases_at_the_turn_of_a_month(ReleaseFixture service) : IClassFixture<ReleaseFixture>
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task a_late_cut_of_the_old_month_leaves_the_new_months_release_whole()
    {
        var options = Microsoft.Extensions.Options.Options.Create(
            new Trajectories.Retention.RetentionCacheOptions { CacheRefreshMilliseconds = 0 });
        IReadOnlyList<RetentionFacts> facts = Enumerable.Range(0, 2100).Select(i => new RetentionFacts
        {
            Id = new Guid(i + 11, 0, 0, new byte[8]), State = "OR",
        }).ToList();
        Task<IReadOnlyList<RetentionFacts>> Live(CancellationToken _) => Task.FromResult(facts);
        var december = new AnalystReleases(service.Store,
            new FixedClock(new DateTimeOffset(2019, 12, 31, 23, 59, 59, TimeSpan.Zero)), options);
        var january = new AnalystReleases(service.Store,
            new FixedClock(new DateTimeOffset(2020, 1, 1, 0, 0, 1, TimeSpan.Zero)), options);
        await december.CurrentAsync(Live, default);
        var newYear = await january.CurrentAsync(Live, default);
        // December's admin cut lands after January's first release (its facts changed meanwhile).
        facts = [.. facts, new RetentionFacts { Id = Guid.NewGuid(), State = "OR", LastModified = DateTime.UtcNow }];
        var (late, cut) = await december.CutNowAsync(Live, default);
        Assert.True(cut);
        Assert.Equal("2019-12.2", late.Id);
        // A node that loads January's release now finds all of it.
        var node = new AnalystReleases(service.Store,
            new FixedClock(new DateTimeOffset(2020, 1, 1, 0, 0, 2, TimeSpan.Zero)), options);
        var fresh = await node.CurrentAsync(Live, default);
        Assert.Equal(newYear.Release.Id, fresh.Release.Id);
        Assert.Equal(2100, fresh.Facts.Count);
    }
}

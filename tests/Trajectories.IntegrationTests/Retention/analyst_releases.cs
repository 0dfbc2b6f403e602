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
    private const string Cohorts = "/api/retention/cohorts?asOf=2025-05-31";
    private const string Reasons = "/api/retention/reasons?asOf=2025-05-31";

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

        // A late record: someone in a peer job on the month end is entered as having left for burnout a month before.
        Guid person;
        Guid job;
        await using (var query = service.Store.QuerySession())
        {
            var facts = await query.Query<RetentionFacts>().ToListAsync();
            var (f, j) = facts.SelectMany(f => f.Jobs.Select(j => (f, j)))
                .First(x => x.j.JobType == "peer" && x.j.Start < new DateOnly(2024, 1, 1) && x.j.End is null);
            (person, job) = (f.Id, j.JobId);
        }
        await using (var session = service.Store.LightweightSession())
        {
            session.Events.Append(person, new Separated(job, "burnout", true, new DateOnly(2025, 4, 15), null));
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
        var current = await Get(service.Client, "/api/admin/releases/current");
        Assert.Equal(next, current["id"]!.GetValue<string>());
        Assert.Equal(400, current["people"]!.GetValue<int>());
        var second = await Get(service.Analyst, Cohorts);
        Assert.Equal(next, second["protection"]!["release"]!.GetValue<string>());
        var (before, after) = (Cells(first), Cells(second));
        int unchanged = 0, moved = 0;
        foreach (var (key, exact) in exactBefore)
        {
            if (exactAfter[key] != exact || before[key] is not { } was || after[key] is not { } now) continue;
            unchanged++;
            if (was != now) moved++;
        }
        Assert.True(unchanged >= 40, $"only {unchanged} cells shown in both releases whose truth did not change");
        var share = (double)moved / unchanged;
        Assert.True(Math.Abs(share - 0.625) < 4 * Math.Sqrt(0.625 * 0.375 / unchanged),
            $"{moved} of {unchanged} untouched cells moved with the new release; the tables say 62.5%");
    }

    [Fact]
    public async Task nodes_racing_to_cut_a_release_serve_the_same_one()
    {
        var options = Microsoft.Extensions.Options.Options.Create(
            new Trajectories.Retention.RetentionCacheOptions { CacheRefreshMilliseconds = 0 });
        // A month no release exists for: two nodes' first analyst answers of it, at once.
        var clock = new FixedClock(new DateTimeOffset(2031, 3, 2, 8, 0, 0, TimeSpan.Zero));
        var a = new AnalystReleases(service.Store, clock, options);
        var b = new AnalystReleases(service.Store, clock, options);
        IReadOnlyList<RetentionFacts> live = Enumerable.Range(0, 2500).Select(i => new RetentionFacts
        {
            Id = new Guid(i + 7, 0, 0, new byte[8]), State = "OR",
        }).ToList();
        Task<IReadOnlyList<RetentionFacts>> Live(CancellationToken _) => Task.FromResult(live);
        var both = await Task.WhenAll(a.CurrentAsync(Live, default), b.CurrentAsync(Live, default));
        Assert.Equal("2031-03.1", both[0].Release.Id);
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

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Trajectories.Careers;
using Trajectories.Demo;
using Trajectories.Ingestion.Files;
using Trajectories.Retention;
using Trajectories.Retention.Facts;
using Trajectories.Retention.Models;
using Trajectories.Retention.Occupation;
using Trajectories.Survival;

namespace Trajectories.IntegrationTests.Retention;

public sealed class CareersThroughTheApiFixture : ServiceFixture
{
    protected override IEnumerable<(string Key, string Value)> Settings() =>
        [("Retention:CacheRefreshMilliseconds", "0"), ("Privacy:MinCellSize", "1")];
}

/// <summary>
/// Issue 17's end-to-end test: generated careers sent through the API as an integration would (CloudEvents in batch
/// mode, as the export writes them), then the occupation and model answers compared with the library's estimates
/// on the same careers folded here, without the service: the whole way from a request to an estimate.
/// </summary>
public class careers_through_the_api(CareersThroughTheApiFixture service)
    : IClassFixture<CareersThroughTheApiFixture>
{
    private static readonly DateOnly Today = new(2025, 6, 30);
    private const string AsOf = "2025-06-30";

    private static List<RetentionFacts>? _expected;

    /// <summary>Sends 250 generated careers once; returns their facts as the library folds them.</summary>
    private async Task<List<RetentionFacts>> CareersAsync()
    {
        if (_expected is not null) return _expected;
        var generator = new CohortGenerator(23, Today);
        var now = DateTimeOffset.UtcNow;
        var specialists = Enumerable.Range(0, 250).Select(i =>
        {
            var events = generator.Person(i);
            var certified = (SpecialistCertified)events[0];
            return new Specialist
            {
                Id = Guid.CreateVersion7(), State = certified.State,
                CertificationNumber = certified.CertificationNumber,
                Entries = events.Select((e, n) => new CareerEntry(Guid.CreateVersion7(), n + 1, now, null, e))
                    .ToList(),
            };
        }).ToList();
        // Whole people per batch of at most 500 events, as the bench's senders do; a 429 is waited out and retried.
        var batches = new List<List<CloudNative.CloudEvents.CloudEvent>> { new() };
        foreach (var specialist in specialists)
        {
            var lines = Export.Events(specialist).ToList();
            foreach (var line in lines) line.Source = new Uri("urn:e2e");
            if (batches[^1].Count + lines.Count > 500) batches.Add([]);
            batches[^1].AddRange(lines);
        }
        foreach (var batch in batches)
        {
            var body = Encoding.UTF8.GetString(
                Trajectories.Ingestion.CloudEvents.Formatter.EncodeBatchModeMessage(batch, out _).Span);
            HttpResponseMessage response;
            while ((response = await service.Client.PostAsync("/api/ingest/events",
                       new StringContent(body, Encoding.UTF8, "application/cloudevents-batch+json"))).StatusCode
                   == HttpStatusCode.TooManyRequests)
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
            await response.ShouldBe(HttpStatusCode.Accepted);
            var results = (await response.Json())["results"]!.AsArray();
            Assert.All(results, r => Assert.Equal("accepted", r!["status"]!.GetValue<string>()));
        }
        await Ingestion.Ingest.SettledAsync(service.Store);
        await service.Store.WaitForRetentionFactsAsync(TimeSpan.FromSeconds(60));
        _expected = specialists.Select(RetentionFacts.From).OfType<RetentionFacts>().ToList();
        return _expected;
    }

    [Fact]
    public async Task occupation_over_http_is_the_librarys_estimate_on_the_same_careers()
    {
        var facts = await CareersAsync();
        var paths = facts.Select((f, i) => Paths.For(f, Today, i)).OfType<OccupationPath>().ToList();
        var curve = Occupation.Estimate(Paths.States, paths.SelectMany(p => p.Episodes).ToList());
        var response = await service.Client.GetAsync($"/api/trajectories/occupation?asOf={AsOf}");
        await response.ShouldBe(HttpStatusCode.OK);
        var group = (await response.Json())["groups"]!.AsArray().Single()!;
        Assert.Equal(paths.Count, group["n"]!.GetValue<int>());
        var points = group["points"]!.AsArray();
        Assert.Equal(curve.Points.Count, points.Count);
        foreach (var (want, got) in curve.Points.Zip(points))
            for (var j = 0; j < Paths.States.Count; j++)
            {
                var state = got!["states"]![Paths.States[j]]!;
                Assert.Equal(want.Probability[j], state["probability"]!.GetValue<double>(), 1e-12);
                if (want.Upper[j] is { } upper) Assert.Equal(upper, state["upper"]!.GetValue<double>(), 1e-12);
            }
    }

    [Fact]
    public async Task a_model_over_http_is_the_librarys_fit_on_the_same_careers()
    {
        var facts = await CareersAsync();
        var spells = facts.SelectMany(f => Spells.For(Measure.Job, f, Today))
            .Where(s => s.Observation.Entry is not { } e || e < s.Observation.Exit).ToList();
        var (_, terms, rows, rejection) = CoxDesign.Build(spells, ["jobType", "wage"],
            CoxDesign.Levels(new CareerLadder()));
        Assert.Null(rejection);
        var fit = CoxRegression.Fit(rows, terms);
        var response = await service.Client.GetAsync(
            $"/api/retention/job/model?covariates=jobType,wage&asOf={AsOf}");
        await response.ShouldBe(HttpStatusCode.OK);
        var answer = await response.Json();
        Assert.Equal(fit.N, answer["n"]!.GetValue<int>());
        foreach (var (want, got) in fit.Terms.Zip(answer["terms"]!.AsArray()))
        {
            Assert.Equal(want.Name, got!["term"]!.GetValue<string>());
            Assert.Equal(want.Coef, got["coef"]!.GetValue<double>(), 1e-9);
            Assert.Equal(want.Se, got["se"]!.GetValue<double>(), 1e-9);
        }
    }
}

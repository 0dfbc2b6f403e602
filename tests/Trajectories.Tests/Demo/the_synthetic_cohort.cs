using Trajectories.Careers;
using Trajectories.Demo;
using Trajectories.Retention.Facts;

namespace Trajectories.Tests.Demo;

public class the_synthetic_cohort
{
    private static List<IReadOnlyList<CareerEvent>> People(int seed, int n)
    {
        var generator = new CohortGenerator(seed, new DateOnly(2026, 11, 23));
        return Enumerable.Range(0, n).Select(generator.Person).ToList();
    }

    [Fact]
    public void every_person_obeys_the_career_rules()
    {
        foreach (var person in People(7, 400))
        {
            var entries = person.Select((e, i) =>
                new CareerEntry(Guid.NewGuid(), i + 1, DateTimeOffset.UnixEpoch, "seed", e));
            Assert.Null(CareerRules.Check(CareerHistory.From(entries)));
        }
    }

    [Fact]
    public void is_reproducible_from_the_seed()
    {
        string Shape(IEnumerable<IReadOnlyList<CareerEvent>> people) =>
            string.Join("|", people.Select(p =>
                string.Join(",", p.Select(e => $"{CareerJson.KindOf(e)}@{e.EffectiveOn}"))));
        Assert.Equal(Shape(People(3, 100)), Shape(People(3, 100)));
        Assert.NotEqual(Shape(People(3, 100)), Shape(People(4, 100)));
    }

    [Fact]
    public void looks_like_the_research()
    {
        var facts = People(42, 3000).Select(p => RetentionFacts.From(CareerSpec.Given([.. p]))!).ToList();
        var everPeer = facts.Count(f => f.FirstPeerHire is not null) / (double)facts.Count;
        Assert.InRange(everPeer, 0.4, 0.75);   // many never get a peer job
        var peerJobs = facts.SelectMany(f => f.Jobs).Where(j => j.JobType == "peer").ToList();
        Assert.InRange(
            peerJobs.Count(j => !j.FullTimeAtStart) / (double)peerJobs.Count, 0.3, 0.6);   // part-time is common
        var reasons = peerJobs.Where(j => j.Reason is not null).GroupBy(j => j.Reason)
            .OrderByDescending(g => g.Count()).First().Key;
        Assert.Equal("burnout", reasons);
        Assert.Contains(facts, f => f.Statuses.Any(s => s.Status == "paused"));
        Assert.Contains(facts, f => f.PeerSpells.Count > 1);
        var mhpsa = facts.Where(f => f.Mhpsa).Average(f => f.FirstPeerHire is null ? 0.0 : 1.0);
        var other = facts.Where(f => !f.Mhpsa).Average(f => f.FirstPeerHire is null ? 0.0 : 1.0);
        Assert.True(mhpsa > other, $"MHPSA {mhpsa:P0} vs {other:P0}");
    }
}

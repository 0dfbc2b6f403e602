using JasperFx.Core;
using Trajectories.Ingestion;
using Trajectories.Careers;

namespace Trajectories.Tests.Ingestion;

/// <summary>
/// Accepted events are applied in groups (Ingest:ApplyPartitions): one person's events always in the same group, the
/// groups on different slots of Wolverine's sharded listener so they really run side by side.
/// </summary>
public class apply_groups
{
    private static IngestedEvent About(string? subjectKey, string? subject = null) =>
        new() { Id = Guid.NewGuid(), Key = Guid.NewGuid().ToString(), SubjectKey = subjectKey, Subject = subject };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(9)]
    public void each_group_has_its_own_slot(int partitions)
    {
        var queues = new ApplyGroups(partitions);
        Assert.Equal(partitions, queues.GroupIds.Distinct().Count());
        // The listener's own rule (Wolverine's PartitionedMessagingExtensions.SlotForProcessing).
        var slots = queues.GroupIds
            .Select(id => Math.Abs(id.DeterministicJavaCompliantHash() % (int)queues.Slots)).ToList();
        Assert.Equal(partitions, slots.Distinct().Count());
    }

    [Fact]
    public void one_person_is_always_in_one_group_and_people_spread_over_all()
    {
        var queues = new ApplyGroups(3);
        Assert.Equal(queues.For(About("OR:123")), queues.For(About("OR:123")));
        var used = Enumerable.Range(0, 300).Select(i => queues.For(About($"OR:{i}")))
            .GroupBy(g => g).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, used.Count);
        Assert.All(used.Values, n => Assert.InRange(n, 60, 140));
        // Our id as the subject when that is all the event names.
        var id = Guid.NewGuid().ToString();
        Assert.Equal(queues.For(About(null, id)), queues.For(About(null, id)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void an_out_of_range_setting_stops_start_up_with_a_clear_message(int partitions)
    {
        var e = Assert.Throws<Trajectories.Careers.ConfigurationError>(() => new ApplyGroups(partitions));
        Assert.Equal($"Ingest:ApplyPartitions must be between 1 and 9; it is {partitions}.", e.Message);
    }
}

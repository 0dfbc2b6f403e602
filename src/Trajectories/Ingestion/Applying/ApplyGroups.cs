using JasperFx.Core;
using Wolverine.Configuration;
using Wolverine;
using Trajectories.Careers;

namespace Trajectories.Ingestion;

/// <summary>
/// Splits accepted events over <c>Ingest:ApplyPartitions</c> groups by who they are about: every event about one person
/// in the same group, so one person's events keep their acceptance order while different people's apply side by side.
/// The groups ride on Wolverine's group id (kept with the durable message, so a recovered message keeps its group).
/// </summary>
public sealed class ApplyGroups
{
    public const int MaxPartitions = 9;
    /// <summary>
    /// Two: on the 2-core machine the benchmark runs on, one batch's decisions overlap another's database work.
    /// </summary>
    public const int DefaultPartitions = 2;

    public int Partitions { get; }
    /// <summary>The listener's parallel slots (Wolverine takes 3, 5, 7 or 9).</summary>
    public PartitionSlots Slots { get; }
    /// <summary>One group id per partition, chosen so that each lands on its own slot of the listener.</summary>
    public IReadOnlyList<string> GroupIds { get; }

    public ApplyGroups(int partitions)
    {
        if (partitions is < 1 or > MaxPartitions)
            throw new ConfigurationError(
                $"Ingest:ApplyPartitions must be between 1 and {MaxPartitions}; it is {partitions}.");
        Partitions = partitions;
        Slots = partitions <= 3 ? PartitionSlots.Three
            : partitions <= 5 ? PartitionSlots.Five
            : partitions <= 7 ? PartitionSlots.Seven
            : PartitionSlots.Nine;
        // Wolverine picks a message's slot by a hash of its group id: two of our groups on one slot would run in turn.
        var bySlot = new Dictionary<int, string>();
        for (var k = 0; bySlot.Count < partitions; k++)
        {
            var id = $"{IngestionConfiguration.Queue}-{k}";
            bySlot.TryAdd(Math.Abs(id.DeterministicJavaCompliantHash() % (int)Slots), id);
        }
        GroupIds = bySlot.Values.Take(partitions).ToList();
    }

    public static ApplyGroups From(IConfiguration configuration) =>
        new(configuration.GetValue("Ingest:ApplyPartitions", DefaultPartitions));

    /// <summary>
    /// The group for events about this person (STATE:number, or our id when that is all the event names).
    /// </summary>
    public string For(IngestedEvent doc) => GroupIds[Partition(doc.SubjectKey ?? doc.Subject ?? doc.Key, Partitions)];

    /// <summary>FNV-1a over the key's characters: stable across processes, unlike string.GetHashCode.</summary>
    public static int Partition(string key, int partitions)
    {
        var hash = 2166136261u;
        foreach (var c in key) hash = (hash ^ c) * 16777619u;
        return (int)(hash % (uint)partitions);
    }

    /// <summary>
    /// One apply message per group and run of one source, in the given order, through the outbox of the bus's
    /// transaction.
    /// </summary>
    public async Task SendAsync(IMessageBus bus, IEnumerable<IngestedEvent> docs)
    {
        foreach (var group in docs.GroupBy(For))
        {
            var run = new List<Guid>();
            string? source = null;
            foreach (var doc in group)
            {
                // A run of one source: the channel and sender are headers of the whole apply session.
                if (source is not null && source != doc.Source) await Flush();
                source = doc.Source;
                run.Add(doc.Id);
            }
            await Flush();

            async Task Flush()
            {
                if (run.Count == 0) return;
                await bus.PublishAsync(new ApplyIngested(run.ToArray()), new DeliveryOptions { GroupId = group.Key });
                run.Clear();
            }
        }
    }
}

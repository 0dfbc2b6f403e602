using System.Runtime.CompilerServices;
using Trajectories.Careers;
using Trajectories.Retention.Facts;

namespace Trajectories.Retention.Querying;

/// <summary>
/// What both workforce summaries (exact and protected) are counted from, in one pass over the columns: people by
/// status at each month end, people holding a peer job there, peer-job separations in (from, asOf] and by reason,
/// each with its cell key (the sum of its contributors' record keys), and the jobs held on the as-of date.
/// </summary>
public sealed class WorkforceCounts
{
    private static readonly int Statuses = Vocabulary.Status.All.Length;
    private readonly int[] _counts;
    private readonly uint[] _keys;
    private readonly int _width = Statuses + 1;
    private readonly int _separations;

    public IReadOnlyList<DateOnly> MonthEnds { get; }
    /// <summary>Indices (in the table) of the jobs held on the as-of date, of every job type, in table order.
    /// </summary>
    public IReadOnlyList<int> HeldJobs { get; }

    private WorkforceCounts(IReadOnlyList<DateOnly> monthEnds, int[] counts, uint[] keys, List<int> held)
    {
        MonthEnds = monthEnds;
        _counts = counts;
        _keys = keys;
        HeldJobs = held;
        _separations = monthEnds.Count * _width;
    }

    /// <summary>People with the status (index in Vocabulary.Status.All) at month end m.</summary>
    public (int Count, uint Key) Status(int month, int status) => At(month * _width + status);

    public (int Count, uint Key) InPeerWork(int month) => At(month * _width + Statuses);

    public (int Count, uint Key) Separations => At(_separations);

    /// <summary>Separations for the reason (index in Vocabulary.SeparationReasons).</summary>
    public (int Count, uint Key) Reason(int reason) => At(_separations + 1 + reason);

    private (int, uint) At(int slot) => (_counts[slot], _keys[slot]);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static WorkforceCounts Count(
        FactsTable table, int[] people, IReadOnlyList<DateOnly> monthEnds, DateOnly from, DateOnly asOf)
    {
        var dates = monthEnds.Select(d => d.DayNumber).ToArray();
        var width = Statuses + 1;
        var separations = dates.Length * width;
        int first = from.DayNumber, last = asOf.DayNumber;
        var (counts, keys) = Tally.CountKeyed(people, separations + 1 + Vocabulary.SeparationReasons.Length,
            [MethodImpl(MethodImplOptions.AggressiveOptimization)] (i, local, localKeys) =>
            {
                var key = table.Key[i];
                var next = table.StatusAt[i];
                int status = FactsTable.SeekingPeerWork, statusEnd = table.StatusAt[i + 1];
                int jobs = table.JobAt[i], jobsEnd = table.JobAt[i + 1];
                for (var m = 0; m < dates.Length; m++)
                {
                    var date = dates[m];
                    if (table.Certified[i] > date) continue;
                    while (next < statusEnd && table.StatusDay[next] <= date) status = table.StatusCode[next++];
                    Add(local, localKeys, m * width + status, key);
                    for (var j = jobs; j < jobsEnd; j++)
                        if (table.JobType[j] == FactsTable.Peer && table.HeldOn(j, date))
                        {
                            Add(local, localKeys, m * width + Statuses, key);
                            break;
                        }
                }
                for (var j = jobs; j < jobsEnd; j++)
                {
                    var end = table.JobEnd[j];
                    if (table.JobType[j] != FactsTable.Peer || end == FactsTable.Open || end <= first || end > last)
                        continue;
                    Add(local, localKeys, separations, table.JobKey[j]);
                    if (table.JobReason[j] >= 0) Add(local, localKeys, separations + 1 + table.JobReason[j],
                        table.JobKey[j]);
                }
            });
        var held = new List<int>();
        foreach (var i in people)
            for (var j = table.JobAt[i]; j < table.JobAt[i + 1]; j++)
                if (table.HeldOn(j, last)) held.Add(j);
        return new WorkforceCounts(monthEnds, counts, keys, held);
    }

    private static void Add(int[] counts, uint[] keys, int slot, uint key)
    {
        counts[slot]++;
        keys[slot] = unchecked(keys[slot] + key);
    }
}

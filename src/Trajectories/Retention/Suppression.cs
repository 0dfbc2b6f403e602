namespace Trajectories.Retention;

/// <summary>
/// Small counts identify people: a count from 1 to MinCellSize - 1 is never shown to analysts (Privacy:MinCellSize,
/// default 11; 1 turns suppression off). Zero is shown: it identifies no one.
/// </summary>
public sealed class Suppression(int minCellSize)
{
    public int MinCellSize { get; } = Math.Max(1, minCellSize);

    public bool Hides(int count) => count > 0 && count < MinCellSize;

    public int? Show(int count) => Hides(count) ? null : count;

    /// <summary>
    /// Complementary suppression over cells whose total is shown (a row of a table): when exactly one cell is hidden,
    /// it could be worked out as total - the others, so the smallest other non-zero cell is hidden too.
    /// Returns which cells to hide.
    /// </summary>
    public bool[] HideInRow(IReadOnlyList<int> counts)
    {
        var hidden = counts.Select(Hides).ToArray();
        if (hidden.Count(h => h) == 1)
        {
            var next = Enumerable.Range(0, counts.Count)
                .Where(i => !hidden[i] && counts[i] > 0)
                .OrderBy(i => counts[i])
                .Cast<int?>()
                .FirstOrDefault();
            if (next is { } i) hidden[i] = true;
        }
        return hidden;
    }
}

namespace Trajectories.Retention.Disclosure;

/// <summary>
/// How an answer's figures were protected, in the answer itself, for the analyst and for whoever reads a download
/// later: the method, its parameters, and a sentence saying what it means.
/// </summary>
/// <param name="Release">For analysts: the release of recorded facts the answer comes from (ADR 14).</param>
/// <param name="RecordedBy">When that release was cut: events recorded later are in the next release.</param>
public sealed record Protection(string Method, int MinCellSize, int? MaxPerturbation, string? TimeGrid, string Note,
    string? Release = null, DateTimeOffset? RecordedBy = null)
{
    public static Protection CellKey(PerturbationTable table) => CellKey(table.MinCellSize) with
    {
        Release = table.Source?.Id, RecordedBy = table.Source?.CutAt,
        Note = CellKey(table.MinCellSize).Note + (table.Source is { } r
            ? $" Figures come from what was recorded by {r.CutAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC (release {r.Id})."
            : ""),
    };

    public static Protection CellKey(int minCellSize) => new("cell-key", minCellSize,
        PerturbationTable.MaxPerturbation, "month",
        "Counts are perturbed by a small amount (the same count always gets the same change within a release, and " +
        $"each monthly release adds a change of its own) and counts under {minCellSize} are not shown; curves are " +
        $"estimated from these protected monthly counts and stop where fewer than {minCellSize} remain at risk; " +
        "dates resolve to month ends: the release's own, and year ends before it. Differences between answers do " +
        "not reveal anyone.");

    public static Protection Suppression(int minCellSize) => minCellSize <= 1
        ? new("exact", 1, null, null, "Exact figures: no protection is applied (Privacy:MinCellSize = 1).")
        : new("suppression", minCellSize, null, null,
            $"Exact estimates; counts under {minCellSize} are hidden (an administrator's view).");
}

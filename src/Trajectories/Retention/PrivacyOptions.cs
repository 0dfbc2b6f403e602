namespace Trajectories.Retention;

/// <summary>Privacy:MinCellSize (env Privacy__MinCellSize): the smallest count shown to analysts; 1 disables suppression.</summary>
public sealed class PrivacyOptions
{
    public int MinCellSize { get; set; } = 11;
}

using Trajectories.Careers;

namespace Trajectories.Retention;

/// <summary>
/// Privacy:MinCellSize (env Privacy__MinCellSize): the smallest count shown in aggregates. 1 turns suppression off for
/// staff and admins (checks, small pilots), never for analysts: they always get at least the default of 11.
/// </summary>
public sealed class PrivacyOptions
{
    public const int Default = 11;
    public int MinCellSize { get; set; } = Default;

    public int MinCellSizeFor(string role) =>
        role == Roles.Analyst ? (MinCellSize > 1 ? MinCellSize : Default) : MinCellSize;

    public int MinCellSizeFor(HttpContext context) => MinCellSizeFor(Caller.From(context.User).Role);

    /// <summary>
    /// Whether the caller's figures go through the cell key method (ADR 14): analysts always; admins and staff keep
    /// the exact estimators with suppression.
    /// </summary>
    public static bool Perturbs(HttpContext context) => Caller.From(context.User).Role == Roles.Analyst;
}

namespace Trajectories.Careers;

public static class ClockExtensions
{
    /// <summary>Today's date in UTC: the bound for effective dates ("not in the future").</summary>
    public static DateOnly Today(this TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}

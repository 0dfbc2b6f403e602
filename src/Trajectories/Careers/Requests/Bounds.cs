namespace Trajectories.Careers;

/// <summary>The inclusive range a number field must lie in, with the sentence that says so.</summary>
public sealed record Bounds(string Field, decimal Min, decimal Max)
{
    public bool Holds(decimal? value) => value is null || (value >= Min && value <= Max);

    public string Message => $"'{Field}' must be between {Min} and {Max}.";

    /// <summary>Weekly hours of a job: half an hour to 80.</summary>
    public static readonly Bounds HoursPerWeek = new("hoursPerWeek", 0.5m, 80m);

    /// <summary>Hourly wage in dollars: 0 (a volunteer placement) to 500.</summary>
    public static readonly Bounds HourlyWage = new("hourlyWage", 0m, 500m);

    /// <summary>The three Maslach Burnout Inventory scores of a check-in, each 0 to 6.</summary>
    public static readonly Bounds Exhaustion = new("exhaustion", 0m, 6m);
    public static readonly Bounds Cynicism = new("cynicism", 0m, 6m);
    public static readonly Bounds ProfessionalEfficacy = new("professionalEfficacy", 0m, 6m);
}

namespace Trajectories.Survival;

/// <summary>
/// One row of a life table: at a time, how many were at risk, how many had the event and how many were censored.
/// Estimators that take rows instead of individual observations can work from published (protected) counts.
/// </summary>
public readonly record struct CountRow(double Time, int AtRisk, int Events, int Censored);

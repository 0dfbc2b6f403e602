namespace Trajectories.Ingestion;

/// <summary>
/// Apply these accepted events, in this order: the ids of one group's run (<see cref="ApplyGroups"/>), sent on the
/// durable local queue, partitioned by group id, in the transaction that accepted them.
/// </summary>
public sealed record ApplyIngested(Guid[] Ids);

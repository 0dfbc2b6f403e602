using Marten;

namespace Trajectories.Retries;

/// <summary>
/// Marks a claimed Idempotency-Key committed inside the request's own transaction, so a request that recorded
/// something and then died before its answer was kept is told apart from one that recorded nothing: the first is
/// never run again, the second is.
/// </summary>
public sealed class IdempotencyListener(string schema) : DocumentSessionListenerBase
{
    public const string ItemKey = "trajectories:idempotency-key";

    // Backed by one AsyncLocal for the whole process: any instance sees the current request.
    private static readonly HttpContextAccessor Request = new();

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        if (Request.HttpContext?.Items[ItemKey] is IdempotencyKey { Claimed: true } claim)
            session.QueueSqlCommand(IdempotencyKeys.MarkCommittedSql(schema), claim.Owner, claim.Key);
        return Task.CompletedTask;
    }
}

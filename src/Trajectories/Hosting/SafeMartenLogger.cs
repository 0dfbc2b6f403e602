using Marten;
using Marten.Services;
using Npgsql;

namespace Trajectories.Hosting;

/// <summary>
/// Marten's own logger writes a failed command's SQL parameters at error level, routine write conflicts included, so
/// names and health notes reached the log. This one logs what an operator needs and nothing about a person: that a
/// command failed, the exception type and the PostgreSQL error code. Successes are not logged.
/// </summary>
public sealed class SafeMartenLogger(ILogger<SafeMartenLogger> logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => logger.LogInformation("Marten applied a schema change");

    public void LogSuccess(NpgsqlCommand command) { }

    public void LogSuccess(NpgsqlBatch batch) { }

    public void LogFailure(NpgsqlCommand command, Exception ex) => Failed(ex);

    public void LogFailure(NpgsqlBatch batch, Exception ex) => Failed(ex);

    public void LogFailure(Exception ex, string message) => Failed(ex);

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit) { }

    public void OnBeforeExecute(NpgsqlCommand command) { }

    public void OnBeforeExecute(NpgsqlBatch batch) { }

    private void Failed(Exception ex) =>
        logger.LogWarning("A Marten command failed: {Type} {SqlState}", ex.GetType().Name,
            (ex as PostgresException ?? ex.InnerException as PostgresException)?.SqlState);
}

using Marten;
using Trajectories.Careers;

namespace Trajectories.Access;

/// <summary>
/// Auth:BootstrapAdminKey (env Auth__BootstrapAdminKey): on a store that holds no key yet, this key is stored (its
/// hash) as an admin key named "bootstrap", so the first real keys can be made. After that the setting is ignored;
/// revoke the bootstrap key once real admin keys exist.
/// </summary>
public sealed class BootstrapAdminKey(
    IDocumentStore store, IConfiguration configuration, TimeProvider clock, ILogger<BootstrapAdminKey> log)
    : IHostedService
{
    public const int MinimumLength = 24;

    public async Task StartAsync(CancellationToken ct)
    {
        var secret = configuration["Auth:BootstrapAdminKey"];
        await using var session = store.LightweightSession();
        if (await session.Query<ApiKey>().AnyAsync(ct))
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(secret))
        {
            log.LogWarning(
                "No API keys exist yet. Set Auth:BootstrapAdminKey or run `keys create --role admin` " +
                "to make the first one.");
            return;
        }
        if (secret.Length < MinimumLength)
            throw new InvalidOperationException(
                $"Auth:BootstrapAdminKey is shorter than {MinimumLength}" +
                $" characters; use a long random value (e.g. `openssl rand -base64 32`).");

        var (key, _) = ApiKey.Create("bootstrap", Roles.Admin, [], "configuration", clock.GetUtcNow(), secret.Trim());
        key.Prefix = "(config)"; // not the first characters of a key people chose themselves
        session.Insert(key);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (
            e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation }
            || e is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // Another instance starting at the same time stored it first.
            return;
        }
        log.LogInformation("Stored the bootstrap admin key from configuration as key {KeyId}.", key.Id);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

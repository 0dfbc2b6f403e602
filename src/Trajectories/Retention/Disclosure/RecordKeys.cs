using System.Collections.Concurrent;
using System.Security.Cryptography;
using Marten;

namespace Trajectories.Retention.Disclosure;

/// <summary>
/// The deployment's cell-key secret, stored once in the database so every node and every restart use the same one
/// (a new secret would give every cell a new perturbation, and averaging answers from before and after would wear the
/// protection down). <c>Privacy:CellKeySecret</c> (at least 32 characters) overrides it, for deployments that keep
/// secrets elsewhere.
/// </summary>
public sealed class CellKeySecret
{
    public const string DocumentId = "cell-key";
    public string Id { get; set; } = DocumentId;
    public string Secret { get; set; } = "";
}

/// <summary>
/// Each contributor's record key: HMAC-SHA256 of its id (a person, or a job for the per-job measure) under the secret,
/// first four bytes. Analysts never see ids or keys, and without the secret the keys cannot be computed, so a cell's
/// perturbation cannot be predicted. Keys are kept once computed (a query touches every person).
/// </summary>
public sealed class RecordKeys(IDocumentStore store, IConfiguration configuration)
{
    private readonly ConcurrentDictionary<Guid, uint> _keys = new();
    private byte[]? _secret;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Loads (or on first use creates) the secret; call before <see cref="Of"/>.</summary>
    public async Task ReadyAsync(CancellationToken ct)
    {
        if (_secret is not null) return;
        await _gate.WaitAsync(ct);
        try
        {
            if (_secret is not null) return;
            if (configuration["Privacy:CellKeySecret"] is { Length: >= 32 } configured)
            {
                _secret = System.Text.Encoding.UTF8.GetBytes(configured);
                return;
            }
            _secret = Convert.FromBase64String(await StoredAsync(ct));
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> StoredAsync(CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using (var read = store.QuerySession())
                if (await read.LoadAsync<CellKeySecret>(CellKeySecret.DocumentId, ct) is { } found) return found.Secret;
            try
            {
                // Two nodes may both find none: the insert makes one of them win, the other reads the winner's.
                await using var write = store.LightweightSession();
                write.Insert(new CellKeySecret { Secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
                await write.SaveChangesAsync(ct);
            }
            catch (Exception e) when (attempt < 3 && e is JasperFx.DocumentAlreadyExistsException
                                          or JasperFx.ConcurrencyException)
            {
            }
        }
    }

    public uint Of(Guid id) => _keys.GetOrAdd(id, static (id, secret) =>
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes);
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(secret, bytes, hash);
        return BitConverter.ToUInt32(hash);
    }, _secret ?? throw new InvalidOperationException("RecordKeys.ReadyAsync was not awaited"));
}

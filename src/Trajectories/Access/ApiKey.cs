using System.Security.Cryptography;
using System.Text;

namespace Trajectories.Access;

/// <summary>
/// A stored API key. The key itself is shown once, when created; only its SHA-256 is kept. Keys are 256 random bits,
/// so a fast hash is enough (nothing to brute-force, unlike a password) and lets every request be checked cheaply.
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string Role { get; set; } = "";
    /// <summary>Empty: every state.</summary>
    public List<string> States { get; set; } = [];
    /// <summary>
    /// Integration keys: the CloudEvents sources the key sends (empty: any source no other key was created with).
    /// </summary>
    public List<string> Sources { get; set; } = [];
    public string Hash { get; set; } = "";
    /// <summary>The first characters of the key, so people can tell their keys apart; too short to use.</summary>
    public string Prefix { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }

    public bool IsActive => RevokedAt is null;

    public const string KeyPrefix = "trj_";

    /// <summary>A new random key: "trj_" and 43 characters of base64url (32 bytes).</summary>
    public static string NewSecret() =>
        KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static (ApiKey Key, string Secret) Create(
        string name, string role, IEnumerable<string> states, string createdBy, DateTimeOffset now,
        string? secret = null, IEnumerable<string>? sources = null)
    {
        secret ??= NewSecret();
        return (new ApiKey
        {
            Id = Guid.CreateVersion7(), Name = name, Role = role, States = states.ToList(),
            Sources = sources?.ToList() ?? [], Hash = HashOf(secret),
            Prefix = secret[..Math.Min(8, secret.Length)], CreatedAt = now, CreatedBy = createdBy,
        }, secret);
    }
}

/// <summary>What admins see of a key: never the key or its hash.</summary>
public sealed record ApiKeyView(
    Guid Id, string Name, string Role, IReadOnlyList<string> States, IReadOnlyList<string> Sources, string Prefix,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt, string? RevokedBy)
{
    public static ApiKeyView Of(ApiKey k) => new(
        k.Id, k.Name, k.Role, k.States, k.Sources, k.Prefix, k.CreatedAt, k.CreatedBy, k.RevokedAt, k.RevokedBy);
}

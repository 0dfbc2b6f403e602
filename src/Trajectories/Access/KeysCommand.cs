using JasperFx.CommandLine;
using Marten;
using Trajectories.Careers;

namespace Trajectories.Access;

public enum KeyAction { create, list, revoke }

public class KeysInput : NetCoreInput
{
    [Description("create, list or revoke")]
    public KeyAction Action { get; set; }

    [Description("create: staff, analyst, integration or admin")]
    [FlagAlias("role", 'r')]
    public string? RoleFlag { get; set; }

    [Description("create: limit the key to these states (two-letter codes; repeat or comma-separate)")]
    [FlagAlias("state")]
    public string[] StateFlag { get; set; } = [];

    [Description("create: the CloudEvents sources an integration key sends (repeat or comma-separate)")]
    [FlagAlias("source")]
    public string[] SourceFlag { get; set; } = [];

    [Description("create: a name to tell the key apart, e.g. who holds it")]
    [FlagAlias("name", 'n')]
    public string? NameFlag { get; set; }

    [Description("revoke: the key's id (from `keys list`)")]
    [FlagAlias("id")]
    public string? IdFlag { get; set; }

    [Description("create: also write the key to this file (readable by its owner only), for scripts")]
    [FlagAlias("out", 'o')]
    public string? OutFlag { get; set; }

    [Description("list: include revoked keys")]
    [FlagAlias("all", 'a')]
    public bool AllFlag { get; set; }
}

/// <summary>
/// `dotnet run --project src/Trajectories -- keys create --role analyst --state OR`: key administration on the
/// server itself (the way to make the first admin key without a bootstrap key). A created key is the last line of
/// standard output (start-up chatter may precede it) and, with --out FILE, the only content of FILE; messages go to
/// standard error.
/// </summary>
[Description("Creates, lists and revokes API keys", Name = "keys")]
public class KeysCommand : JasperFxAsyncCommand<KeysInput>
{
    public override async Task<bool> Execute(KeysInput input)
    {
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using var session = store.LightweightSession();
        var now = DateTimeOffset.UtcNow;

        switch (input.Action)
        {
            case KeyAction.create:
            {
                var states = input.StateFlag.SelectMany(s =>
                    s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
                var errors = new RequestErrors();
                var sources = input.SourceFlag.SelectMany(s =>
                    s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
                var request = new CreateKey(input.RoleFlag, states, input.NameFlag, sources);
                if (KeySpec.Validate(request, errors) is not { } spec)
                    return Fail("keys create: " + string.Join(" ", errors.Items.Select(e => e.Message)));
                var (key, secret) = ApiKey.Create(spec.Name, spec.Role, spec.States, "cli", now, sources: spec.Sources);
                session.Insert(key);
                await session.SaveChangesAsync();
                Console.Error.WriteLine(
                    $"Created {key.Role} key {key.Id}" +
                    $"{(key.States.Count > 0 ? " for " + string.Join(",", key.States) : "")}" +
                    $". It is shown once; store it now:");
                Console.Out.WriteLine(secret);
                if (input.OutFlag is { } path)
                {
                    await File.WriteAllTextAsync(path, secret + "\n");
                    if (!OperatingSystem.IsWindows())
                        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
                return true;
            }
            case KeyAction.list:
            {
                var keys = await session.Query<ApiKey>().OrderBy(k => k.CreatedAt).ToListAsync();
                Console.Out.WriteLine(
                    $"{"id",-36}  {"role",-11}  {"states",-10}  {"prefix",-8}" +
                    $"  {"created",-20}  {"revoked",-20}  name");
                foreach (var k in keys.Where(k => input.AllFlag || k.IsActive))
                    Console.Out.WriteLine(
                        $"{k.Id,-36}  {k.Role,-11}" +
                        $"  {(k.States.Count == 0 ? "all" : string.Join(",", k.States)),-10}  {k.Prefix,-8}" +
                        $"  {k.CreatedAt:yyyy-MM-dd HH:mm:ss}" +
                        $"Z  {(k.RevokedAt is { } r ? r.ToString("yyyy-MM-dd HH:mm:ss") + "Z" : ""),-20}  {k.Name}");
                return true;
            }
            case KeyAction.revoke:
            {
                if (!Guid.TryParse(input.IdFlag, out var id))
                    return Fail("keys revoke: --id must be a key id as shown by `keys list`.");
                var key = await session.LoadAsync<ApiKey>(id);
                if (key is null) return Fail($"keys revoke: no key has id {id}.");
                if (key.IsActive)
                {
                    key.RevokedAt = now;
                    key.RevokedBy = "cli";
                    session.Store(key);
                    await session.SaveChangesAsync();
                }
                Console.Error.WriteLine(
                    $"Key {id} is revoked (running services stop accepting it within Auth:KeyCacheSeconds).");
                return true;
            }
            default:
                return Fail("keys: the action is create, list or revoke.");
        }
    }

    private static bool Fail(string message)
    {
        Console.Error.WriteLine(message);
        return false;
    }
}

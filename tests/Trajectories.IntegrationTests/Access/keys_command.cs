using System.Net;

namespace Trajectories.IntegrationTests.Access;

/// <summary>`keys create|list|revoke` run as the real command line against the service's database.</summary>
[Collection(AccessCollection.Name)]
public class keys_command(AccessFixture service)
{
    private Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) =>
        Cli.RunAsync(service.ConnectionString, args);

    [Fact]
    public async Task an_admin_on_the_server_creates_lists_and_revokes_keys()
    {
        var file = Path.Combine(Path.GetTempPath(), $"key-{Guid.NewGuid():N}");
        var created = await RunAsync(
            "keys", "create", "--role", "staff", "--state", "OR,WA", "--name", "cli staff", "--out", file);
        Assert.True(created.Exit == 0, created.Err);
        var key = created.Out.Trim().Split('\n')[^1].Trim();
        Assert.Matches("^trj_[A-Za-z0-9_-]{43}$", key);
        Assert.Equal(key, (await File.ReadAllTextAsync(file)).Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        File.Delete(file);
        using var client = service.ClientWith(key);
        await (await client.GetAsync("/api/specialists")).ShouldBe(HttpStatusCode.OK);

        var listed = await RunAsync("keys", "list");
        Assert.Equal(0, listed.Exit);
        var line = listed.Out.Split('\n').Single(l => l.Contains("cli staff"));
        Assert.Contains("OR,WA", line);
        Assert.DoesNotContain(key, listed.Out);
        var id = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];

        var revoked = await RunAsync("keys", "revoke", "--id", id);
        Assert.True(revoked.Exit == 0, revoked.Err);
        await (await client.GetAsync("/api/specialists")).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("--role", "wizard")]
    [InlineData("--role", "admin", "--state", "OR")]
    [InlineData("--role", "staff", "--state", "Oregon")]
    public async Task a_bad_request_is_one_line_and_a_non_zero_exit(params string[] flags)
    {
        var result = await RunAsync(["keys", "create", .. flags]);
        Assert.NotEqual(0, result.Exit);
        Assert.DoesNotContain("trj_", result.Out);
        var message = Assert.Single(result.Err.Trim().Split('\n'));
        Assert.StartsWith("keys create:", message);
    }
}

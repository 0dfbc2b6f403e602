using System.Net;
using System.Net.Http.Json;

namespace Trajectories.IntegrationTests.Access;

/// <summary>A service of its own: these tests revoke the bootstrap admin key.</summary>
public sealed class LastAdminFixture : ServiceFixture;

public class last_admin(LastAdminFixture service) : IClassFixture<LastAdminFixture>
{
    private async Task<(Guid Id, HttpClient Client)> AdminAsync(HttpClient by)
    {
        var created = await by.PostAsJsonAsync("/api/keys", new { role = "admin", name = "admin" });
        await created.ShouldBe(HttpStatusCode.Created);
        var json = await created.Json();
        return (json["id"]!.GetValue<Guid>(), service.ClientWith(json["key"]!.GetValue<string>()));
    }

    [Fact]
    public async Task two_admins_revoking_each_other_at_once_leave_one()
    {
        var (_, survivor) = await AdminAsync(service.Client);
        var bootstrap = (await (await survivor.GetAsync("/api/keys")).Content.ReadFromJsonAsync<List<KeyRow>>())!
            .Single(k => k.Name == "bootstrap");
        (await survivor.DeleteAsync($"/api/keys/{bootstrap.Id}")).EnsureSuccessStatusCode();
        for (var round = 0; round < 5; round++)
        {
            var me = (await (await survivor.GetAsync("/api/me")).Json())["id"]!.GetValue<Guid>();
            var (otherId, other) = await AdminAsync(survivor);
            var answers = await Task.WhenAll(
                survivor.DeleteAsync($"/api/keys/{otherId}"), other.DeleteAsync($"/api/keys/{me}"));
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.NoContent);
            // The other is refused as the last admin key, or, when the winner's revocation came first, its own key
            // is already revoked.
            var loser = answers.Single(a => a.StatusCode != HttpStatusCode.NoContent);
            if (loser.StatusCode == HttpStatusCode.Unauthorized)
                await loser.ShouldBeProblem(HttpStatusCode.Unauthorized, "unauthenticated");
            else await loser.ShouldBeProblem(HttpStatusCode.Conflict, "last-admin-key");
            survivor = answers[0].StatusCode == HttpStatusCode.NoContent ? survivor : other;
            var active = (await (await survivor.GetAsync("/api/keys")).Content.ReadFromJsonAsync<List<KeyRow>>())!
                .Count(k => k.Role == "admin");
            Assert.Equal(1, active);
        }
    }

    private sealed record KeyRow(Guid Id, string Name, string Role);
}

using System.Text.Json;
using Trajectories.Access;
using Trajectories.Retention;
using Trajectories.Careers;

namespace Trajectories.Tests.Access;

public class access_model
{
    [Fact]
    public void keys_are_random_and_only_their_hash_is_kept()
    {
        var a = ApiKey.NewSecret();
        var b = ApiKey.NewSecret();
        Assert.NotEqual(a, b);
        Assert.Matches("^trj_[A-Za-z0-9_-]{43}$", a);
        var (key, secret) = ApiKey.Create("n", Roles.Staff, ["OR"], "test", DateTimeOffset.UnixEpoch);
        Assert.Equal(ApiKey.HashOf(secret), key.Hash);
        Assert.Equal(64, key.Hash.Length);
        Assert.DoesNotContain(secret, JsonSerializer.Serialize(key));
    }

    [Theory]
    [InlineData("staff", new[] { "or", "OR", "wa" }, true, "OR,WA")]
    [InlineData("analyst", new string[0], true, "")]
    [InlineData("admin", new[] { "OR" }, false, null)]
    [InlineData("root", new string[0], false, null)]
    [InlineData("staff", new[] { "Oregon" }, false, null)]
    public void a_key_request_names_a_role_and_states(string role, string[] states, bool valid, string? expectedStates)
    {
        var errors = new RequestErrors();
        var spec = KeySpec.Validate(new CreateKey(role, states, null), errors);
        Assert.Equal(valid, spec is not null);
        if (valid) Assert.Equal(expectedStates, string.Join(",", spec!.Value.States));
        else Assert.True(errors.Any);
    }

    [Fact]
    public void a_scoped_caller_sees_only_its_states()
    {
        var oregon = new Caller("k", Roles.Staff, new HashSet<string> { "OR" }, "key");
        var everyone = new Caller("k", Roles.Staff, null, "key");
        Assert.True(oregon.Sees("OR"));
        Assert.False(oregon.Sees("WA"));
        Assert.True(everyone.Sees("WA"));
        Assert.Equal("key:k", oregon.RecordedBy);
        Assert.Equal("token:jane", new Caller("jane", Roles.Staff, null, "token").RecordedBy);
    }

    [Theory]
    [InlineData(1, "analyst", 11)]
    [InlineData(1, "admin", 1)]
    [InlineData(20, "analyst", 20)]
    [InlineData(5, "staff", 5)]
    public void analysts_never_get_suppression_turned_off(int configured, string role, int expected) =>
        Assert.Equal(expected, new PrivacyOptions { MinCellSize = configured }.MinCellSizeFor(role));

    [Fact]
    public void erasure_masks_identifying_corrections_but_keeps_what_aggregates_count()
    {
        var changes = new Dictionary<string, JsonElement>
        {
            ["name"] = JsonSerializer.SerializeToElement("New Name"),
            ["certificationNumber"] = JsonSerializer.SerializeToElement("123"),
            ["note"] = JsonSerializer.SerializeToElement("private"),
            ["reason"] = JsonSerializer.SerializeToElement("burnout"),
            ["startedOn"] = JsonSerializer.SerializeToElement("2022-01-01"),
        };
        var masked = Erasure.Masked(changes);
        Assert.Equal(Erasure.Marker, masked["name"].GetString());
        Assert.Equal(Erasure.Marker, masked["certificationNumber"].GetString());
        Assert.Equal(JsonValueKind.Null, masked["note"].ValueKind);
        Assert.Equal("burnout", masked["reason"].GetString());
        Assert.Equal("2022-01-01", masked["startedOn"].GetString());
        var freeText = Erasure.Masked(new() { ["reason"] = JsonSerializer.SerializeToElement("my therapist said so") });
        Assert.Equal(Erasure.Marker, freeText["reason"].GetString());
    }

    [Theory]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", true)]
    [InlineData("trj_abc-def_ghi", false)]
    [InlineData(null, false)]
    public void bearer_tokens_are_told_from_keys_by_shape(string? bearer, bool jwt) =>
        Assert.Equal(jwt, TokenAuthentication.LooksLikeJwt(bearer));
}

using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Trajectories.IntegrationTests.Access;

/// <summary>
/// The service with JWT bearer tokens accepted (signed by a key made here, as an identity provider would) and a
/// generous failed-authentication limit, so the matrix's many 401s are not turned into 429s.
/// </summary>
public class AccessFixture : ServiceFixture
{
    public const string Issuer = "https://idp.test.example";
    public const string Audience = "trajectories";
    private readonly RSA _signingKey = RSA.Create(2048);

    protected override IEnumerable<(string Key, string Value)> Settings() =>
    [
        ("Auth:Jwt:Issuer", Issuer),
        ("Auth:Jwt:Audience", Audience),
        ("Auth:Jwt:SigningKeyPem", _signingKey.ExportSubjectPublicKeyInfoPem()),
        ("Auth:FailedAttemptsPerMinute", "100000"),
        ("Auth:KeyCacheSeconds", "0"),
        ("Retention:CacheRefreshMilliseconds", "100"),
    ];

    /// <summary>A token as an OpenID Connect provider would issue it; the signing key may be swapped for a
    /// stranger's.</summary>
    public string Token(string subject, string? role, string[]? states = null, RSA? signWith = null,
        DateTime? expires = null, string issuer = Issuer)
    {
        var claims = new Dictionary<string, object> { ["sub"] = subject };
        if (role is not null) claims["role"] = role;
        if (states is not null) claims["states"] = string.Join(" ", states);
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer, Audience = Audience, Claims = claims,
            IssuedAt = now.AddMinutes(-10), NotBefore = now.AddMinutes(-10), Expires = expires ?? now.AddMinutes(10),
            SigningCredentials =
                new SigningCredentials(new RsaSecurityKey(signWith ?? _signingKey), SecurityAlgorithms.RsaSha256),
        });
    }

    public async Task<Guid> RegisterAsync(string state, string name, string number)
    {
        var response = await Client.PostAsJsonAsync("/api/specialists", new
        {
            name, state, credential = "adult-peer", certificationNumber = number, certifiedOn = "2022-01-10",
            county = "Lane", rural = false, mhpsa = true,
        });
        await response.ShouldBe(System.Net.HttpStatusCode.Created);
        return (await response.Json())["id"]!.GetValue<Guid>();
    }
}

[CollectionDefinition(Name)]
public sealed class AccessCollection : ICollectionFixture<AccessFixture>
{
    public const string Name = "access";
}

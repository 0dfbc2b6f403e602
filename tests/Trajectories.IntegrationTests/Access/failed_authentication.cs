using Trajectories.Careers;
using System.Net.Http.Json;
using System.Net;

namespace Trajectories.IntegrationTests.Access;

/// <summary>A service that allows 5 failed authentications a minute per client address.</summary>
public sealed class StrictAuthFixture : ServiceFixture
{
    protected override IEnumerable<(string Key, string Value)> Settings() => [("Auth:FailedAttemptsPerMinute", "5")];
}

public class failed_authentication : IClassFixture<StrictAuthFixture>
{
    private readonly StrictAuthFixture _service;
    public failed_authentication(StrictAuthFixture service) => _service = service;

    [Fact]
    public async Task guessing_keys_is_slowed_down_and_real_keys_keep_working()
    {
        using var guesser = _service.ClientWith("trj_guess");
        for (var i = 0; i < 5; i++)
            await (await guesser.GetAsync("/api/specialists"))
                .ShouldBeProblem(HttpStatusCode.Unauthorized, "unauthenticated");
        var limited = await guesser.GetAsync("/api/specialists");
        await limited.ShouldBeProblem(HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.NotNull(limited.Headers.RetryAfter);
        // Also without any key, from the same address.
        using var anonymous = _service.ClientWith(null);
        await (await anonymous.GetAsync("/api/specialists"))
            .ShouldBeProblem(HttpStatusCode.TooManyRequests, "rate-limited");
        // Health checks need no key and are not held back.
        await (await anonymous.GetAsync("/health")).ShouldBe(HttpStatusCode.OK);
        // A caller with a valid key is not held back by someone else's guessing.
        await (await _service.Client.GetAsync("/api/specialists")).ShouldBe(HttpStatusCode.OK);
    }
}

public sealed class StrictAuthForBrowsersFixture : ServiceFixture
{
    protected override IEnumerable<(string Key, string Value)> Settings() => [("Auth:FailedAttemptsPerMinute", "5")];
}

/// <summary>Its own service: the guessing test above fills the same address's minute.</summary>
public class failed_authentication_without_credentials(StrictAuthForBrowsersFixture service)
    : IClassFixture<StrictAuthForBrowsersFixture>
{
    [Fact]
    public async Task asking_without_any_credential_is_not_a_guess_and_does_not_lock_sign_in_out()
    {
        // A browser opening the web app asks who is signed in, with no cookie yet: 401, but nothing was guessed.
        using var browser = service.ClientWith(null);
        for (var i = 0; i < 12; i++)
            await (await browser.GetAsync("/api/session")).ShouldBeProblem(HttpStatusCode.Unauthorized,
                "unauthenticated");
        await (await browser.GetAsync("/api/specialists")).ShouldBeProblem(HttpStatusCode.Unauthorized,
            "unauthenticated");
    }

    [Fact]
    public async Task signing_in_with_wrong_keys_is_held_back_even_for_a_caller_holding_a_key()
    {
        // A valid key in a header made the caller authenticated, and the limit was skipped: any key could guess
        // others (the bootstrap admin key among them) without end.
        using var holder = service.ClientWith((await service.CreateKeyAsync(Roles.Analyst)).Key);
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
            codes.Add((await holder.PostAsJsonAsync("/api/session", new { key = $"trj_guess{i}" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, codes[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, codes[^1]);
    }
}

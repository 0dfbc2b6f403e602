using System.Text.Json.Nodes;

namespace Trajectories.IntegrationTests.Retention;

/// <summary>An analytic answer that must succeed, its error body in the failure message when it does not.</summary>
public static class Answers
{
    public static async Task<JsonObject> OkAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} " +
                                                  await response.Content.ReadAsStringAsync());
        return (await response.Json()).AsObject();
    }
}

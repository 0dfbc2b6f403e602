using System.Globalization;
using System.Text.Json.Nodes;

namespace Trajectories.Bench;

/// <summary>Retention queries as analysts send them, timed by the service itself (its Server-Timing
/// header).</summary>
public static class Queries
{
    public static readonly string[] Urls =
    [
        "/api/retention/peer-work", "/api/retention/peer-work?groupBy=state",
        "/api/retention/peer-work?groupBy=tier&ci=log", "/api/retention/peer-work?state=OR&groupBy=fullTime",
        "/api/retention/first-peer-job", "/api/retention/first-peer-job?groupBy=mhpsa",
        "/api/retention/job?groupBy=jobType", "/api/retention/reasons", "/api/retention/reasons?groupBy=rural",
        "/api/retention/cohorts", "/api/retention/cohorts?state=TX", "/api/workforce/summary",
        "/api/retention/first-promotion", "/api/retention/burnout", "/api/retention/ladder",
    ];

    /// <summary>One round: every query `repeat` times; returns server-side milliseconds per request and per
    /// endpoint.</summary>
    public static async Task<Dictionary<string, List<double>>> RoundAsync(Uri service, string key, int repeat)
    {
        using var http = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var byEndpoint = new Dictionary<string, List<double>>();
        for (var r = 0; r < repeat; r++)
            foreach (var url in Urls)
            {
                using var response = await http.GetAsync(url);
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}");
                var timing = response.Headers.GetValues("Server-Timing").First();
                var ms = double.Parse(
                    timing[(timing.IndexOf("dur=", StringComparison.Ordinal) + 4)..], CultureInfo.InvariantCulture);
                var endpoint = url.Split('?')[0];
                (byEndpoint.TryGetValue(endpoint, out var list) ? list : byEndpoint[endpoint] = []).Add(ms);
            }
        return byEndpoint;
    }

    /// <summary>An analyst key (created with the admin key): analysts' answers are the protected ones.</summary>
    public static async Task<string> AnalystKeyAsync(Uri service)
    {
        using var http = Service.Authorized(new HttpClient { BaseAddress = service });
        using var response = await http.PostAsync("/api/keys", new StringContent(
            """{"role":"analyst","name":"bench analyst"}""", System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["key"]!.GetValue<string>();
    }

    /// <summary>The benchmark checks the answer, not only the speed: the time-to-first-job sample has everyone it
    /// should.</summary>
    public static async Task CheckAsync(Uri service, int expected)
    {
        using var http = Service.Authorized(new HttpClient { BaseAddress = service });
        // The service refreshes its facts cache at most once a second.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var report = JsonNode.Parse(await http.GetStringAsync("/api/retention/first-peer-job"))!;
        var n = report["groups"]![0]!["n"]!.GetValue<int>();
        if (n != expected)
            throw new InvalidOperationException($"first-peer-job counted {n} people, expected {expected}");
    }
}

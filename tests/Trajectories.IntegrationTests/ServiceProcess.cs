using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Trajectories.IntegrationTests;

/// <summary>
/// The service as its own process (the built dll) on a free loopback port, with an admin client, once it answers
/// /health/live: for tests that kill, freeze or run several of it.
/// </summary>
public static class ServiceProcess
{
    public static async Task<(Process Process, HttpClient Client)> StartAsync(
        string connection, string adminKey, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? clientTimeout = null, Action<string>? log = null)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var a in new[] { Repository.ServiceDll(), "--urls", $"http://127.0.0.1:{port}" })
            info.ArgumentList.Add(a);
        info.Environment["ConnectionStrings__Marten"] = connection;
        info.Environment["Auth__BootstrapAdminKey"] = adminKey;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log?.Invoke(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log?.Invoke(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var client = new HttpClient
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = clientTimeout ?? TimeSpan.FromSeconds(100),
        };
        client.DefaultRequestHeaders.Authorization = new("Bearer", adminKey);
        for (var i = 0; i < 240; i++)
        {
            try
            {
                if ((await client.GetAsync("/health/live")).IsSuccessStatusCode) return (process, client);
            }
            catch (HttpRequestException) { }
            if (process.HasExited) throw new InvalidOperationException("the service exited at start-up");
            await Task.Delay(250);
        }
        throw new TimeoutException("the service did not start within 60 s");
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Trajectories.Bench;

/// <summary>The service (or one of its commands) as a separate process, with its peak resident memory
/// tracked.</summary>
public sealed class Service : IAsyncDisposable
{
    private readonly Process _process;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    public long PeakRssKb { get; private set; }
    public string Output => _output.ToString();
    private readonly System.Text.StringBuilder _output = new();

    private Service(Process process)
    {
        _process = process;
        _sampler = Task.Run(SampleAsync);
    }

    /// <summary>The bootstrap admin key every service process of a run starts with (new databases have no
    /// keys).</summary>
    public static readonly string AdminKey = "bench-admin-" + Guid.NewGuid().ToString("N");

    public static HttpClient Authorized(HttpClient client)
    {
        client.DefaultRequestHeaders.Authorization =
            new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    public static string Dll(string repo) =>
        Path.Combine(repo, "src/Trajectories/bin/Release/net10.0/Trajectories.dll");

    public static Service Start(string repo, string connection, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false
        };
        info.ArgumentList.Add(Dll(repo));
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["ConnectionStrings__Marten"] = connection;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Auth__BootstrapAdminKey"] = AdminKey;
        info.Environment["DOTNET_gcServer"] = "1";
        // The queries are timed by the service itself (Server-Timing), which is off unless asked for.
        info.Environment["Http__ServerTiming"] = "true";
        var process = Process.Start(info)!;
        var service = new Service(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (service._output) service._output.AppendLine(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (service._output) service._output.AppendLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Runs a command of the service to completion: (seconds, exit code, peak RSS in KiB).</summary>
    public static async Task<(double Seconds, int ExitCode, long PeakRssKb, string Output)> RunAsync(
        string repo, string connection, params string[] args)
    {
        var watch = Stopwatch.StartNew();
        await using var run = Start(repo, connection, args);
        await run._process.WaitForExitAsync();
        watch.Stop();
        return (watch.Elapsed.TotalSeconds, run._process.ExitCode, run.PeakRssKb, run.Output);
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static async Task<(Service Service, Uri Url)> StartWebAsync(
        string repo, string connection, params string[] settings)
    {
        var port = FreePort();
        var service = Start(repo, connection, ["--urls", $"http://127.0.0.1:{port}", .. settings]);
        var url = new Uri($"http://127.0.0.1:{port}");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 240; i++)
        {
            try
            {
                if ((await http.GetAsync(new Uri(url, "/health"))).IsSuccessStatusCode) return (service, url);
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (service._process.HasExited)
                throw new InvalidOperationException("the service exited at start-up:\n" + service.Output);
            await Task.Delay(250);
        }
        throw new TimeoutException("the service did not answer /health within 60 s:\n" + service.Output);
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (_process.HasExited) return;
                foreach (var line in await File.ReadAllLinesAsync($"/proc/{_process.Id}/status"))
                    if (line.StartsWith("VmHWM:")
                        && long.TryParse(line.Split(':', StringSplitOptions.TrimEntries)[1].Split(' ')[0], out var kb))
                        PeakRssKb = Math.Max(PeakRssKb, kb);
            }
            catch (IOException) { return; }
            catch (InvalidOperationException) { return; }
            try { await Task.Delay(100, _stop.Token); } catch (TaskCanceledException) { return; }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _stop.Cancel();
        await _sampler;
        _process.Dispose();
    }
}

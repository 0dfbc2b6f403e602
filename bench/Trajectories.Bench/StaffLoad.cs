using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Trajectories.Bench;

/// <summary>
/// Staff commands over HTTP on loopback from this process (not the service's): each virtual person is registered,
/// hired, promoted and separated, in that order. Open loop at a fixed offered rate (latency counted from the
/// scheduled send time, so a slow service cannot hide its queueing), or closed loop with many workers for saturation.
/// </summary>
public sealed class StaffLoad(Uri service)
{
    public sealed record Result(
        double Throughput, double P50, double P99, int Ok, int Failed, IReadOnlyDictionary<string, int> Created)
    {
        public double P999 { get; init; } = double.NaN;
        public double Max { get; init; } = double.NaN;

        /// <summary>Each command's due time from the run's start and its latency (open loop only).</summary>
        public IReadOnlyList<(TimeSpan Due, double Ms)> Samples { get; init; } = [];

        /// <summary>The service's own p99 (Server-Timing): what of the tail is the service's, not the network's
        /// or the load generator's.</summary>
        public double ServerP99 { get; init; } = double.NaN;
    }

    private static readonly HttpClient Http = Service.Authorized(new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5)
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    });

    private sealed class Person
    {
        public Guid Id;
        public Guid Job;
        public int Step;
    }

    private int _sequence;

    /// <summary>The service's own time for the request (Server-Timing, which the bench turns on), or NaN.</summary>
    private static double ServerMs(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Server-Timing", out var values) && values.First() is var timing
        && timing.IndexOf("dur=", StringComparison.Ordinal) is >= 0 and var at
        && double.TryParse(timing[(at + 4)..], System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out var ms) ? ms : double.NaN;

    private async Task<(bool Ok, string Op, double ServerMs)> Next(Person p)
    {
        var n = Interlocked.Increment(ref _sequence);
        HttpResponseMessage response;
        string op;
        switch (p.Step)
        {
            case 0:
                op = "register";
                response = await Http.PostAsJsonAsync(new Uri(service, "/api/specialists"), new
                {
                    name = $"Bench {n}", state = "OR", credential = "adult-peer",
                    certificationNumber = $"B-{Environment.ProcessId}-{n}-{Guid.NewGuid():N}"[..40],
                    certifiedOn = "2023-01-10", county = "Lane", rural = false, mhpsa = true,
                });
                if (response.StatusCode == HttpStatusCode.Created)
                    p.Id = (JsonNode.Parse(await response.Content.ReadAsStringAsync())!)["id"]!.GetValue<Guid>();
                break;
            case 1:
                op = "hire";
                p.Job = Guid.NewGuid();
                response = await Http.PostAsJsonAsync(new Uri(service, $"/api/specialists/{p.Id}/hires"), new
                {
                    jobId = p.Job, employer = "Agency", title = "Peer", jobType = "peer", hoursPerWeek = 30,
                    hourlyWage = 18.5, startedOn = "2023-03-01",
                });
                break;
            case 2:
                op = "promote";
                response = await Http.PostAsJsonAsync(new Uri(service, $"/api/specialists/{p.Id}/promotions"),
                    new { jobId = p.Job, tier = "Peer II", hourlyWage = 20, effectiveOn = "2024-03-01" });
                break;
            default:
                op = "separate";
                response = await Http.PostAsJsonAsync(new Uri(service, $"/api/specialists/{p.Id}/separations"),
                    new { jobId = p.Job, reason = "burnout", voluntary = true, effectiveOn = "2025-03-01" });
                break;
        }
        var ok = response.StatusCode == HttpStatusCode.Created;
        var server = ServerMs(response);
        response.Dispose();
        if (ok) p.Step++;
        return (ok, op, server);
    }

    /// <summary>Open loop: one command every 1/rate seconds for the duration, whatever the service's speed.</summary>
    public async Task<Result> FixedRateAsync(double rate, TimeSpan duration)
    {
        var ready = new ConcurrentQueue<Person>();
        var latencies = new ConcurrentBag<(TimeSpan Due, double Ms)>();
        var server = new ConcurrentBag<double>();
        var created = new ConcurrentDictionary<string, int>();
        int failed = 0;
        var tasks = new List<Task>();
        var watch = Stopwatch.StartNew();
        var count = (int)(rate * duration.TotalSeconds);
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            var wait = due - watch.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            var person = ready.TryDequeue(out var p) ? p : new Person();
            tasks.Add(Task.Run(async () =>
            {
                var (ok, op, serverMs) = await Next(person);
                latencies.Add((due, (watch.Elapsed - due).TotalMilliseconds));
                if (!double.IsNaN(serverMs)) server.Add(serverMs);
                if (ok) created.AddOrUpdate(op, 1, (_, c) => c + 1); else Interlocked.Increment(ref failed);
                if (person.Step < 4 && ok) ready.Enqueue(person);
            }));
        }
        await Task.WhenAll(tasks);
        var elapsed = watch.Elapsed.TotalSeconds;
        var timed = latencies.OrderBy(l => l.Due).ToList();
        var samples = timed.Select(l => l.Ms).ToList();
        return new Result(samples.Count / elapsed, Stats.Percentile(samples, 50), Stats.Percentile(samples, 99),
            samples.Count - failed, failed, created)
        {
            P999 = Stats.Percentile(samples, 99.9), Max = samples.Count == 0 ? double.NaN : samples.Max(),
            Samples = timed, ServerP99 = Stats.Percentile(server.ToList(), 99),
        };
    }

    /// <summary>Closed loop: workers send the next command as soon as the last one answered.</summary>
    public async Task<Result> SaturationAsync(int workers, TimeSpan duration)
    {
        var latencies = new ConcurrentBag<double>();
        var created = new ConcurrentDictionary<string, int>();
        int failed = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            var person = new Person();
            while (watch.Elapsed < duration)
            {
                var start = watch.Elapsed;
                var (ok, op, _) = await Next(person);
                latencies.Add((watch.Elapsed - start).TotalMilliseconds);
                if (ok) created.AddOrUpdate(op, 1, (_, c) => c + 1); else Interlocked.Increment(ref failed);
                if (!ok || person.Step >= 4) person = new Person();
            }
        })));
        var samples = latencies.ToList();
        return new Result(samples.Count / watch.Elapsed.TotalSeconds, Stats.Percentile(samples, 50),
            Stats.Percentile(samples, 99), samples.Count - failed, failed, created);
    }
}

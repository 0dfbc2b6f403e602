using System.Net.Http.Json;
using JasperFx.CommandLine;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Trajectories.IntegrationTests;

/// <summary>
/// The real service (Program) on real Kestrel at a loopback port, with a database of its own. Tests talk to it
/// over HTTP with <see cref="Client"/> and look at what landed through <see cref="Store"/>.
/// </summary>
public class ServiceFixture : IAsyncLifetime
{
    private WebApplicationFactory<Program>? _factory;
    public string ConnectionString { get; private set; } = "";
    /// <summary>The bootstrap admin key the service is started with; <see cref="Client"/> sends it.</summary>
    public string AdminKey { get; } = "test-bootstrap-" + Guid.NewGuid().ToString("N");
    public HttpClient Client { get; private set; } = null!;
    public IDocumentStore Store => _factory!.Services.GetRequiredService<IDocumentStore>();
    public IServiceProvider Services => _factory!.Services;
    public CapturedLogs Logs { get; } = new();
    public Uri BaseAddress { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        ConnectionString = await TestDatabase.CreateAsync("traj_http");
        // Program ends in RunJasperFxCommands; this makes the test host start the app instead of parsing a command
        // line.
        JasperFxEnvironment.AutoStartHost = true;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ConnectionStrings:Marten", ConnectionString);
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            b.UseSetting("Auth:BootstrapAdminKey", AdminKey);
            // The webhook handshake's one allowed sender (tests/.../cloudevents_sdk_clients.cs).
            b.UseSetting("Ingest:Webhook:AllowedOrigins:0", "board.example.org");
            b.UseEnvironment("Development");
            foreach (var (key, value) in Settings()) b.UseSetting(key, value);
            b.ConfigureLogging(l => l.AddProvider(Logs));
        });
        // A free loopback port chosen by the OS (UseKestrel(0) means the default 5000, which may be taken).
        _factory.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1"));
        Client = ClientWith(AdminKey);
    }

    /// <summary>A client that sends this key (or none).</summary>
    public HttpClient ClientWith(string? key)
    {
        // An API client: it keeps no cookies (a POST /api/session must not turn it into a browser session).
        var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = BaseAddress };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }

    /// <summary>A new key made through the API by the admin: its id and the key.</summary>
    public async Task<(Guid Id, string Key)> CreateKeyAsync(string role, params string[] states)
    {
        var response = await Client.PostAsJsonAsync("/api/keys", new { role, states, name = $"test {role}" });
        await response.ShouldBe(System.Net.HttpStatusCode.Created);
        var body = await response.Json();
        return (body["id"]!.GetValue<Guid>(), body["key"]!.GetValue<string>());
    }

    /// <summary>Extra configuration for a fixture's service (a subclass's "given" setup).</summary>
    protected virtual IEnumerable<(string Key, string Value)> Settings() => [];

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        await TestDatabase.DropAsync(ConnectionString);
    }
}

[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "service";
}

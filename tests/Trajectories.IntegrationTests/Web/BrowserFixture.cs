using Marten;
using Marten.Events;
using Microsoft.Playwright;
using Trajectories.Careers;
using Trajectories.Demo;

namespace Trajectories.IntegrationTests.Web;

/// <summary>
/// The real service serving the built web app (web/dist) on a database holding a synthetic cohort, and Debian's
/// Chromium driven by Playwright. No browser is downloaded: the executable is /usr/bin/chromium (or
/// TRAJECTORIES_CHROMIUM). Screenshots go to artifacts/screenshots/ at the repository root.
/// </summary>
public sealed class BrowserFixture : ServiceFixture
{
    public const int Specialists = 600;
    public static readonly string[] ChromiumFlags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
        "--no-first-run", "--disable-component-update", "--disable-sync"
    ];

    private IPlaywright? _playwright;
    public IBrowser Browser { get; private set; } = null!;
    public string StaffKey { get; private set; } = "";
    public string AnalystKey { get; private set; } = "";
    public string IntegrationKey { get; private set; } = "";
    public string Screenshots { get; } = Path.Combine(Repository.Root(), "artifacts", "screenshots");

    protected override IEnumerable<(string Key, string Value)> Settings() =>
    [
        ("Retention:CacheRefreshMilliseconds", "100"),
        ("Auth:KeyCacheSeconds", "0"),
        ("Employers:CacheSeconds", "0"),
    ];

    public override async Task InitializeAsync()
    {
        var index = Path.Combine(Repository.Root(), "web", "dist", "index.html");
        if (!File.Exists(index))
            throw new InvalidOperationException($"The web app is not built ({index} is missing): run `make test`, " +
                $"or `npm --prefix web ci && npm --prefix web run build`.");
        var chromium = Environment.GetEnvironmentVariable("TRAJECTORIES_CHROMIUM") is { Length: > 0 } c
            ? c : "/usr/bin/chromium";
        if (!File.Exists(chromium))
            throw new InvalidOperationException($"Chromium is not installed at {chromium}: " +
                $"`apt-get install chromium` (.ci/run does), or set TRAJECTORIES_CHROMIUM.");

        await base.InitializeAsync();
        await SeedAsync();
        StaffKey = (await CreateKeyAsync("staff")).Key;
        AnalystKey = (await CreateKeyAsync("analyst")).Key;
        IntegrationKey = (await CreateKeyAsync("integration")).Key;
        Directory.CreateDirectory(Screenshots);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ChromiumFlags,
        });
    }

    /// <summary>The same synthetic cohort `make demo` writes (CohortGenerator), small enough to seed in
    /// seconds.</summary>
    private async Task SeedAsync()
    {
        var generator = new CohortGenerator(7, DateOnly.FromDateTime(DateTime.UtcNow));
        await using (var session = Store.LightweightSession())
        {
            session.LastModifiedBy = "seed";
            for (var i = 0; i < Specialists; i++)
                session.Events.StartStream<Specialist>(Guid.CreateVersion7(), generator.Person(70_000_000 + i));
            await session.SaveChangesAsync();
        }
        await Store.WaitForRetentionFactsAsync(TimeSpan.FromSeconds(120));
    }

    /// <summary>A fresh browser context (its own session storage) with every console error and CSP violation
    /// collected.</summary>
    public async Task<(IPage Page, List<string> Errors)> PageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(), ViewportSize = new() { Width = width, Height = height }
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        // A refused request (4xx problem details) is part of several tests and logged by Chromium as a failed load:
        // not an error here.
        page.Console += (_, m) =>
        {
            if (m.Type == "error"
                && !m.Text.StartsWith("Failed to load resource: the server responded with a status of 4",
                    StringComparison.Ordinal))
                lock (errors) errors.Add(m.Text);
        };
        page.PageError += (_, e) => { lock (errors) errors.Add(e); };
        return (page, errors);
    }

    /// <summary>Signs in through the sign-in form, as a person would.</summary>
    public static async Task SignInAsync(IPage page, string key)
    {
        await page.GotoAsync("/#/signin");
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator("[data-testid=signed-in-role]").WaitForAsync();
        // The role's start page is drawn before a test navigates on.
        await page.WaitForFunctionAsync(
            "() => { const h = document.querySelector('main h1'); return h && h.textContent !== 'Sign in'; }");
    }

    public async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(
            new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    public override async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

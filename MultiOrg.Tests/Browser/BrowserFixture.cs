using System.Collections.Concurrent;
using Microsoft.Playwright;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Browser;

/// <summary>Debian's Chromium driven by Playwright (never a downloaded browser), plus one app server per test class.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public AppServer Server { get; private set; } = null!;

    /// <summary>Where the app asks for DNS records; nothing answers until a journey starts a dnsmasq there.</summary>
    public int DnsPort { get; } = DnsServer.ReservePort();

    /// <summary>Every Content-Security-Policy violation a page of this fixture printed (each also failed its journey).</summary>
    public ConcurrentQueue<string> CspViolations { get; } = new();

    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        // The single sign-on journeys run their OpenID Connect provider on a loopback port.
        Server = await AppServer.StartAsync(seedDemoData: true, new AppServerOptions
        {
            Settings = new Dictionary<string, string>
            {
                ["OutboundRequests:AllowPrivateNetworks:0"] = "127.0.0.0/8",

                // Domain verification asks the name server a journey starts on this port with the TXT record it shows.
                ["Dns:NameServers:0"] = $"127.0.0.1:{DnsPort}",
            },
        });
        playwright = await Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(playwright);
        Directory.CreateDirectory(ScreenshotFolder);

        // Expectations get the actions' 15 s: while the whole suite runs beside the browser, a first render can take over 5 s.
        Microsoft.Playwright.Assertions.SetDefaultExpectTimeout(15_000);
    }

    /// <summary>Debian's Chromium, headless, with the options every journey uses.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
            ],
        });

    /// <summary>
    /// A page in a new context whose dialogs are checked with axe as they open (<see cref="Accessibility.CheckDialogsAsTheyOpen"/>):
    /// a violation fails the journey, or lands in <paramref name="dialogViolations"/> when given.
    /// </summary>
    public async Task<IPage> NewPageAsync(bool dark = false, ICollection<string>? dialogViolations = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseUrl,
            ViewportSize = new ViewportSize { Width = 1366, Height = 860 },
            ColorScheme = dark ? ColorScheme.Dark : ColorScheme.Light,
        });
        context.SetDefaultTimeout(15_000);
        context.FailOnCspViolations(CspViolations);
        context.CheckDialogsAsTheyOpen(dialogViolations);
        var page = await context.NewPageAsync();
        await Accessibility.DialogHookAsync(page);
        return page;
    }

    /// <summary>
    /// A demo organization's id by its name, read from the server's database: a journey that needs a particular
    /// organization opens it by address, never by trusting where a sign-in lands (the last-used organization, which
    /// other journeys with the same person change).
    /// </summary>
    public async Task<Guid> OrganizationIdAsync(string name)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Server.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT Id FROM Organizations WHERE Name = $name";
        query.Parameters.AddWithValue("$name", name);
        return Guid.Parse((string?)await query.ExecuteScalarAsync() ?? throw new InvalidOperationException($"No organization named {name} in the demo data"));
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        // What axe checked and what it cost, for whoever tunes the suite's time.
        await File.WriteAllLinesAsync(Path.Combine(ScreenshotFolder, "axe-checks.txt"), [Accessibility.RunTimeSummary, .. Accessibility.Log]);

        // A violation printed after a journey's last step failed no step: it fails the run here.
        if (!CspViolations.IsEmpty)
        {
            throw new InvalidOperationException($"Content-Security-Policy violations in the browser journeys:\n{string.Join("\n", CspViolations)}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

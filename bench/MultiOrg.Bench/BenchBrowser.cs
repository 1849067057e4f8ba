using Microsoft.Playwright;

namespace MultiOrg.Bench;

/// <summary>Debian's Chromium as the benchmarks drive it: headless, never downloading anything.</summary>
internal static class BenchBrowser
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
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

    /// <summary>A context of the size the figures were measured at, patient with a busy server.</summary>
    public static async Task<IBrowserContext> ContextAsync(IBrowser browser, string baseUrl)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(60_000);
        return context;
    }
}

using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace MultiOrg.Tests.Browser;

/// <summary>Steps a person takes, shared by the browser journeys.</summary>
public static class Journey
{
    public const string DemoPassword = MultiOrg.Data.Seed.DemoData.Password;

    /// <summary>
    /// Fails the journey on any Content-Security-Policy violation the browser prints: the page is closed with the
    /// violation as the reason, so the step in progress throws it (a step started later, "Target page … closed"); the
    /// violation is also written to the console and lands in <paramref name="seen"/>, which the fixture lists at its end.
    /// </summary>
    public static void FailOnCspViolations(this IBrowserContext context, ConcurrentQueue<string> seen) =>
        context.Console += (_, message) =>
        {
            if (!message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                return;
            }

            var violation = $"{message.Page?.Url}: {message.Text}";
            seen.Enqueue(violation);
            Console.Error.WriteLine($"Content-Security-Policy violation on {violation}");
            if (message.Page is { } page)
            {
                _ = CloseAsync(page, $"Content-Security-Policy violation on {violation}");
            }
        };

    private static async Task CloseAsync(IPage page, string reason)
    {
        try
        {
            await page.CloseAsync(new PageCloseOptions { Reason = reason });
        }
        catch (PlaywrightException)
        {
            // Already closed by the journey itself.
        }
    }

    /// <summary>
    /// Waits until the circuit is live, then checks the page with axe-core (WCAG 2.1 A/AA), once per route and look in a
    /// test run (<see cref="Accessibility"/>): every page a journey visits is checked without each journey asking.
    /// </summary>
    public static async Task WaitForCircuitAsync(this IPage page, bool check = true)
    {
        await page.Locator("[data-circuit='ready']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        if (check)
        {
            await page.CheckPageAsync();
        }
    }

    public static async Task SignInAsync(this IPage page, string email, string password = DemoPassword, bool check = true)
    {
        await page.GotoAsync("/Account/Login");
        await page.Locator("[name='Input.Email']").FillAsync(email);
        await page.Locator("[name='Input.Password']").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();

        // Into an organization; support staff with none of their own start at the support console.
        await page.WaitForURLAsync(url => url.Contains("/organizations/", StringComparison.Ordinal) || url.EndsWith("/support", StringComparison.Ordinal));
        await page.WaitForCircuitAsync(check);
    }

    /// <summary>Registers with a password; the name asked for is <paramref name="name"/>, or the address itself (as journeys written before the name was asked expect).</summary>
    public static async Task RegisterAsync(this IPage page, string email, string password, string? name = null, bool check = true)
    {
        await page.GotoAsync("/Account/Register");
        await page.Locator("[name='Input.Name']").FillAsync(name ?? email);
        await page.Locator("[name='Input.Email']").FillAsync(email);
        await page.Locator("[name='Input.Password']").FillAsync(password);
        await page.Locator("[name='Input.ConfirmPassword']").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/organizations/", StringComparison.Ordinal));
        await page.WaitForCircuitAsync(check);
    }

    public static Guid OrganizationIdFromUrl(this IPage page) =>
        Guid.Parse(new Uri(page.Url).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[1]);

    public static async Task ScreenshotAsync(this IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"{name}.png"), FullPage = true });

    /// <summary>The text a person can see on the page right now.</summary>
    public static Task<string> VisibleTextAsync(this IPage page) => page.Locator("body").InnerTextAsync();
}

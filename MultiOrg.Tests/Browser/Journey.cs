using Microsoft.Playwright;

namespace MultiOrg.Tests.Browser;

/// <summary>Steps a person takes, shared by the browser journeys.</summary>
public static class Journey
{
    public const string DemoPassword = MultiOrg.Data.Seed.DemoData.Password;

    public static async Task WaitForCircuitAsync(this IPage page) =>
        await page.Locator("[data-circuit='ready']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    public static async Task SignInAsync(this IPage page, string email, string password = DemoPassword)
    {
        await page.GotoAsync("/Account/Login");
        await page.Locator("[name='Input.Email']").FillAsync(email);
        await page.Locator("[name='Input.Password']").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/organizations/", StringComparison.Ordinal));
        await page.WaitForCircuitAsync();
    }

    public static async Task RegisterAsync(this IPage page, string email, string password)
    {
        await page.GotoAsync("/Account/Register");
        await page.Locator("[name='Input.Email']").FillAsync(email);
        await page.Locator("[name='Input.Password']").FillAsync(password);
        await page.Locator("[name='Input.ConfirmPassword']").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/organizations/", StringComparison.Ordinal));
        await page.WaitForCircuitAsync();
    }

    public static Guid OrganizationIdFromUrl(this IPage page) =>
        Guid.Parse(new Uri(page.Url).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[1]);

    public static async Task ScreenshotAsync(this IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"{name}.png"), FullPage = true });

    /// <summary>The text a person can see on the page right now.</summary>
    public static Task<string> VisibleTextAsync(this IPage page) => page.Locator("body").InnerTextAsync();
}

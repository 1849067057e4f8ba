using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>Light and dark mode in the browser; also leaves the screenshots the README shows.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ThemeJourneys(BrowserFixture fixture)
{
    private static Task<string> BackgroundAsync(IPage page) =>
        page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");

    [Fact]
    public async Task Dark_mode_is_remembered_for_the_person_in_a_new_session()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("olivia.owner@demo.multiorg.test");
        var light = await BackgroundAsync(page);
        await page.ScreenshotAsync("dashboard-light");
        await page.Locator("[data-testid='org-switcher-button']").ClickAsync();
        await Expect(page.Locator("[data-testid='org-switcher-item']").First).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(500); // let the popover finish fading in before the picture
        await page.ScreenshotAsync("switcher-light");
        await page.Keyboard.PressAsync("Escape");
        await page.Locator("a[href$='/members']").First.ClickAsync();
        await Expect(page.Locator("[data-testid='member-name']")).ToHaveCountAsync(3);
        await page.ScreenshotAsync("members-light");

        await page.Locator("[data-testid='theme-toggle']").ClickAsync();
        await Expect(page.Locator("[data-testid='theme-toggle']")).ToHaveAttributeAsync("aria-label", "Toggle dark mode");
        await page.WaitForFunctionAsync("light => getComputedStyle(document.body).backgroundColor !== light", light);
        await page.ScreenshotAsync("members-dark");

        var nextSession = await fixture.NewPageAsync();
        await nextSession.SignInAsync("olivia.owner@demo.multiorg.test");
        await nextSession.WaitForFunctionAsync("light => getComputedStyle(document.body).backgroundColor !== light", light);
        (await BackgroundAsync(nextSession)).Should().NotBe(light);
        await nextSession.ScreenshotAsync("dashboard-dark");
        await nextSession.Locator("[data-testid='org-switcher-button']").ClickAsync();
        await Expect(nextSession.Locator("[data-testid='org-switcher-item']").First).ToBeVisibleAsync();
        await nextSession.WaitForTimeoutAsync(500);
        await nextSession.ScreenshotAsync("switcher-dark");
        await nextSession.Keyboard.PressAsync("Escape");

        await nextSession.Locator("[data-testid='theme-toggle']").ClickAsync();
        await nextSession.WaitForFunctionAsync("light => getComputedStyle(document.body).backgroundColor === light", light);
    }

    [Fact]
    public async Task The_sign_in_page_is_styled_like_the_product()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("/Account/Login");

        await Expect(page.Locator(".mo-account-card")).ToBeVisibleAsync();
        var button = await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true })
            .EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor");
        button.Should().Be("rgb(79, 70, 229)", "the primary button uses the theme's primary colour");
        await Expect(page.Locator("form[action='Account/PerformExternalLogin']")).ToHaveCountAsync(0);
        await page.ScreenshotAsync("sign-in");
    }

    [Fact]
    public async Task The_account_pages_live_in_the_product_shell_and_work_without_a_circuit()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("mia.member@demo.multiorg.test");

        await page.GotoAsync("/Account/Manage");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your account" })).ToBeVisibleAsync();
        await Expect(page.Locator(".nav-pills .nav-link.active")).ToHaveTextAsync("Profile");
        await page.ScreenshotAsync("account-profile");
        await page.GetByRole(AriaRole.Link, new() { Name = "Two-factor authentication" }).ClickAsync();
        await Expect(page.Locator(".nav-pills .nav-link.active")).ToHaveTextAsync("Two-factor authentication");
        await page.ScreenshotAsync("account-two-factor");

        await page.GetByText("Back to MultiOrg").ClickAsync();
        await page.WaitForCircuitAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Acme Corp" })).ToBeVisibleAsync();
    }
}

using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>Settings and Security in sections a person can jump to and link to (#25 point 10).</summary>
[Collection(BrowserCollection.Name)]
public sealed class SettingsJourneys(BrowserFixture fixture)
{
    [Fact]
    public async Task Settings_sections_are_reached_from_in_page_navigation_and_a_sections_link_opens_it_again_after_a_reload()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("olivia.owner@demo.multiorg.test");
        var organizationId = page.OrganizationIdFromUrl();

        await page.GotoAsync($"/organizations/{organizationId}/settings#branding");
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("section#branding")).ToBeInViewportAsync();
        await Expect(page.Locator("section#details")).Not.ToBeInViewportAsync();

        await page.Locator("[data-testid='section-nav'] a[href$='#danger-zone']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/settings#danger-zone$"));
        await Expect(page.Locator("section#danger-zone")).ToBeInViewportAsync();
        await Expect(page.Locator("[data-testid='section-nav'] a[href$='#danger-zone']")).ToHaveAttributeAsync("aria-current", "location");

        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("section#danger-zone")).ToBeInViewportAsync();
        await Expect(page.Locator("section#details")).Not.ToBeInViewportAsync();

        // The security page's sections, by link, in a phone's width, without the page scrolling sideways.
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync($"/organizations/{organizationId}/settings/security#single-sign-on");
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("section#single-sign-on")).ToBeInViewportAsync();
        await Expect(page.Locator("[data-testid='section-nav']")).ToBeVisibleAsync();
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        width.Should().BeLessThanOrEqualTo(390, "the section navigation scrolls within itself on a phone, not the page");
        await page.ScreenshotAsync("settings-security-sections-390-light");
    }
}

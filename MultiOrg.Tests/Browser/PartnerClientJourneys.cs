using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>Issue 25 (point 9): a partner's staff in the clients they run, and the copy path of client onboarding.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PartnerClientJourneys(BrowserFixture fixture)
{
    private static async Task SwitchToAsync(IPage page, string organization)
    {
        await page.Locator("[data-testid='org-switcher-button']").ClickAsync();
        await page.Locator("[data-testid='org-switcher-item']", new() { HasText = organization }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = organization })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_partner_dashboard_shows_a_clients_balance_as_its_billing_page_does_and_partner_staff_are_offered_no_leave_in_a_client()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("paula.partner@demo.multiorg.test");
        await SwitchToAsync(page, "Brightside Accounting");

        // Brightside is Paula's own membership: Leave is offered there (the control the client page must not show).
        await page.Locator("a[href$='/members']").First.ClickAsync();
        await Expect(page.Locator("[data-testid='members-grid']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='leave-org']")).ToBeVisibleAsync();

        await page.Locator("[data-testid='partner-dashboard-link']").ClickAsync();
        var hofmann = page.Locator("[data-testid='partner-clients-grid'] tr", new() { HasText = "Hofmann Maschinenbau GmbH" });
        var onDashboard = await hofmann.Locator("[data-testid='partner-client-credits']").InnerTextAsync();
        await page.ScreenshotAsync("partner-dashboard-credits-light");
        await page.Locator("[data-testid='theme-toggle']").ClickAsync();
        await page.Mouse.MoveAsync(600, 600);
        await page.ScreenshotAsync("partner-dashboard-credits-dark");
        await page.Locator("[data-testid='theme-toggle']").ClickAsync();

        // Nobody opened Hofmann's billing before the dashboard read its balance: both say the same.
        await SwitchToAsync(page, "Hofmann Maschinenbau GmbH");
        await page.Locator("[data-testid='billing-link']").ClickAsync();
        await Expect(page.Locator("[data-testid='billing-balance']")).ToHaveTextAsync(onDashboard);
        onDashboard.Should().NotBe("0", "a client made from templates starts with the Free allowance");

        // Paula reaches Hofmann as Brightside's staff, with no membership to leave: no Leave button.
        await page.Locator("a[href$='/members']").First.ClickAsync();
        await Expect(page.Locator("[data-testid='members-grid']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='add-member']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='leave-org']")).ToHaveCountAsync(0);
    }
}

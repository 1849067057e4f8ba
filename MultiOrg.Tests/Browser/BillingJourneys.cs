using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class BillingJourneys(BrowserFixture fixture)
{
    [Fact]
    public async Task An_owner_previews_and_takes_an_upgrade_buys_credits_and_members_see_no_billing()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("sam.solo@demo.multiorg.test");
        await page.Locator("[data-testid='billing-link']").ClickAsync();
        await Expect(page.Locator("[data-testid='billing-plan-name']")).ToHaveTextAsync("Free");
        await Expect(page.Locator("[data-testid='billing-seats']")).ToHaveTextAsync("1 of 5 used");
        await Expect(page.Locator("[data-testid='billing-balance']")).ToHaveTextAsync("100");
        await page.ScreenshotAsync("billing-light");

        await page.Locator("[data-testid='billing-change-plan']").ClickAsync();
        await page.Locator("[data-testid='plan-team']").ClickAsync();
        await Expect(page.Locator("[data-testid='plan-preview']")).ToContainTextAsync("Team, 10 seats, from now");
        await Expect(page.Locator("[data-testid='plan-confirm']")).ToBeEnabledAsync();
        await page.WaitForTimeoutAsync(300); // the button's colour transition
        await page.ScreenshotAsync("billing-change-plan");
        await page.Locator("[data-testid='plan-confirm']").ClickAsync();
        await Expect(page.Locator("[data-testid='billing-plan-name']")).ToHaveTextAsync("Team");
        await Expect(page.Locator("[data-testid='billing-balance']")).ToHaveTextAsync("5,000");

        await page.Locator("[data-testid='billing-buy']").ClickAsync();
        await page.Locator("input[data-testid='buy-packs']").FillAsync("2");
        await Expect(page.Locator("[data-testid='buy-total']")).ToContainTextAsync("2,000 credits now");
        await page.Locator("[data-testid='buy-confirm']").ClickAsync();
        await Expect(page.Locator("[data-testid='billing-balance']")).ToHaveTextAsync("7,000");
        await Expect(page.Locator("[data-testid='billing-ledger']")).ToContainTextAsync("2 credit pack(s)");
        await page.Locator("[data-testid='theme-toggle']").ClickAsync();
        await page.Mouse.MoveAsync(600, 600);
        await page.ScreenshotAsync("billing-dark");
        await page.Locator("[data-testid='theme-toggle']").ClickAsync();

        var member = await fixture.NewPageAsync();
        await member.SignInAsync("mia.member@demo.multiorg.test");

        // Mia is a MEMBER of Acme (and ADMIN elsewhere, where she may read billing): go to Acme first.
        await member.Locator("[data-testid='org-switcher-button']").ClickAsync();
        await member.Locator("[data-testid='org-switcher-item']", new() { HasText = "Acme Corp" }).ClickAsync();
        await Expect(member.GetByRole(AriaRole.Heading, new() { Name = "Acme Corp" })).ToBeVisibleAsync();
        await Expect(member.Locator("[data-testid='billing-link']")).ToHaveCountAsync(0);
        await member.GotoAsync($"/organizations/{member.OrganizationIdFromUrl()}/billing");
        await member.WaitForCircuitAsync();
        await Expect(member.Locator("[data-testid='billing-forbidden']")).ToHaveTextAsync("Only owners and admins can see billing.");
    }
}

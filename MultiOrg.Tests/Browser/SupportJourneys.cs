using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SupportJourneys(BrowserFixture fixture)
{
    [Fact]
    public async Task Support_staff_search_organizations_across_tenants_and_others_are_turned_away()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("sid.support@demo.multiorg.test");
        await page.Locator("[data-testid='support-link']").ClickAsync();
        await page.Locator("input[data-testid='support-search']").FillAsync("bright");
        await Expect(page.Locator("[data-testid='support-org-name']")).ToHaveTextAsync(["Brightside Accounting"]);
        await page.Locator("input[data-testid='support-search']").FillAsync("olivia.owner@demo");
        await Expect(page.Locator("[data-testid='support-org-name']")).ToHaveTextAsync(["Acme Corp", "Side Project LLC", "Smith Family"]);
        await page.ScreenshotAsync("support-console");

        var member = await fixture.NewPageAsync();
        await member.SignInAsync("mia.member@demo.multiorg.test");
        await Expect(member.Locator("[data-testid='support-link']")).ToHaveCountAsync(0);
        await member.GotoAsync("/support");
        await member.WaitForCircuitAsync();
        await Expect(member.Locator("[data-testid='support-forbidden']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Support_adjusts_an_organizations_credits_with_a_reason_after_confirming()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("sid.support@demo.multiorg.test");
        await page.Locator("[data-testid='support-link']").ClickAsync();
        await page.Locator("input[data-testid='support-search']").FillAsync("Side Project");
        await Expect(page.Locator("[data-testid='support-org-name']")).ToHaveTextAsync(["Side Project LLC"]);
        await page.Locator("[data-testid='support-adjust-credits']").ClickAsync();

        await page.Locator("input[data-testid='adjust-amount']").FillAsync("25");
        await page.Locator("[data-testid='adjust-review']").ClickAsync();
        await Expect(page.Locator("[data-testid='adjust-credits-dialog']")).ToContainTextAsync("Write why the balance changes");
        await Expect(page.Locator("[data-testid='adjust-confirm']")).ToHaveCountAsync(0);
        await page.Locator("textarea[data-testid='adjust-reason']").FillAsync("Goodwill for the outage on 3 May");
        await page.Locator("[data-testid='adjust-review']").ClickAsync();
        await Expect(page.Locator("[data-testid='adjust-confirm-text']")).ToHaveTextAsync("Add 25 credits to Side Project LLC?");
        await page.Locator("[data-testid='adjust-confirm']").ClickAsync();

        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Credits of Side Project LLC adjusted by +25");
        await Expect(page.Locator("[data-testid='adjust-credits-dialog']")).ToHaveCountAsync(0);
    }
}

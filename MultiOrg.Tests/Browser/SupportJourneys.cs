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
}

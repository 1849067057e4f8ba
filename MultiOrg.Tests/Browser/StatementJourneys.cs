using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class StatementJourneys(BrowserFixture fixture)
{
    [Fact]
    public async Task A_partner_reads_its_consolidated_statement_and_client_costs_and_support_records_the_payment()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("paula.partner@demo.multiorg.test");
        await page.Locator("[data-testid='org-switcher-button']").ClickAsync();
        await page.Locator("[data-testid='org-switcher-item']", new() { HasText = "Brightside Accounting" }).ClickAsync();
        await page.Locator("[data-testid='billing-link']").ClickAsync();

        // Last month's statement was issued by the period close when the app started.
        var row = page.Locator("[data-testid='statement-row']").First;
        await Expect(row).ToContainTextAsync("149.00 EUR");
        await page.ScreenshotAsync("billing-statements-light");
        await row.Locator("a").ClickAsync();
        await Expect(page.Locator("[data-testid='statement-client']")).ToContainTextAsync("Greenfield Bakery");
        await Expect(page.Locator("[data-testid='statement-amount-due']")).ToHaveTextAsync("Amount due: 178.00 EUR");
        await page.ScreenshotAsync("statement-consolidated-light");
        await page.Locator("[data-testid='theme-toggle']").ClickAsync();
        await page.Mouse.MoveAsync(600, 600);
        await page.ScreenshotAsync("statement-consolidated-dark");
        await page.Locator("[data-testid='theme-toggle']").ClickAsync();
        await page.Mouse.MoveAsync(600, 600);

        await page.Locator("[data-testid='partner-dashboard-link']").ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Client costs" }).ClickAsync();
        var costs = page.Locator("[data-testid='cost-row']");
        await Expect(costs).ToHaveCountAsync(2);
        await Expect(costs.Filter(new() { HasText = "Greenfield Bakery" })).ToContainTextAsync("29.00 EUR");
        await Expect(costs.Filter(new() { HasText = "Hofmann" })).ToContainTextAsync("0.00 EUR");
        await page.ScreenshotAsync("partner-client-costs-light");

        var support = await fixture.NewPageAsync();
        await support.SignInAsync("sid.support@demo.multiorg.test");
        await support.GotoAsync("/support");
        await support.WaitForCircuitAsync();
        await support.Locator("input[data-testid='support-search']").FillAsync("Brightside");
        var result = support.Locator("tr", new() { Has = support.Locator("[data-testid='support-org-name']", new() { HasText = "Brightside Accounting" }) });
        await result.Locator("[data-testid='support-statements']").ClickAsync();
        await support.Locator("[data-testid='record-payment']").First.ClickAsync();
        await support.Locator("input[data-testid='payment-reference']").FillAsync("WIRE-4471");
        await support.Locator("input[data-testid='payment-amount']").FillAsync("100");
        await support.Locator("[data-testid='payment-save']").ClickAsync();
        await Expect(support.Locator("[data-testid='support-statements-dialog']")).ToContainTextAsync("asks for 178.00 EUR; the payment is 100.00 EUR");
        await support.Locator("input[data-testid='payment-amount']").FillAsync("178");
        await support.Locator("[data-testid='payment-save']").ClickAsync();
        await Expect(support.Locator("[data-testid='support-statements-dialog']")).ToContainTextAsync("Paid");
        await support.ScreenshotAsync("support-record-payment");

        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await page.Locator("[data-testid='billing-link']").ClickAsync();
        await Expect(page.Locator("[data-testid='statement-row']").First).ToContainTextAsync("Paid");
    }
}

using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class StatementJourneys(BrowserFixture fixture)
{
    [Fact]
    public async Task A_partner_reads_its_consolidated_statement_whose_row_and_amount_due_agree_and_support_records_it_paid_in_parts()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("paula.partner@demo.multiorg.test");
        await page.Locator("[data-testid='org-switcher-button']").ClickAsync();
        await page.Locator("[data-testid='org-switcher-item']", new() { HasText = "Brightside Accounting" }).ClickAsync();
        await page.Locator("[data-testid='billing-link']").ClickAsync();

        // Last month's statement was issued by the period close when the app started. Its row says what the statement
        // asks for: Brightside's Partner plan (149.00) and Greenfield's Team (29.00), billed to it.
        var row = page.Locator("[data-testid='statement-row']").First;
        await Expect(row).ToContainTextAsync("178.00 EUR");
        await page.ScreenshotAsync("billing-statements-light");
        await row.Locator("a").ClickAsync();
        await Expect(page.Locator("[data-testid='statement-client']")).ToContainTextAsync("Greenfield Bakery");
        var statementUrl = page.Url;
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
        var dialog = support.Locator("[data-testid='support-statements-dialog']");
        await Expect(support.Locator("[data-testid='payment-remaining']")).ToHaveTextAsync("remaining 178.00 EUR");
        await Expect(support.Locator("input[data-testid='payment-amount']")).ToHaveValueAsync("178.00");

        // A part payment: recorded, the rest shown; more than the rest is refused naming the amount.
        await support.Locator("input[data-testid='payment-reference']").FillAsync("WIRE-4471");
        await support.Locator("input[data-testid='payment-amount']").FillAsync("100");
        await support.Locator("[data-testid='payment-save']").ClickAsync();
        await Expect(support.Locator("[data-testid='statement-remaining']").First).ToHaveTextAsync("78.00 EUR");
        await Expect(dialog).ToContainTextAsync("Part paid");
        await support.Locator("[data-testid='record-payment']").First.ClickAsync();
        await Expect(support.Locator("[data-testid='payment-remaining']")).ToHaveTextAsync("remaining 78.00 EUR");
        await support.Locator("input[data-testid='payment-reference']").FillAsync("WIRE-4472");
        await support.Locator("input[data-testid='payment-amount']").FillAsync("100");
        await support.Locator("[data-testid='payment-save']").ClickAsync();
        await Expect(dialog).ToContainTextAsync("has 78.00 EUR left to pay of 178.00 EUR; the payment is 100.00 EUR");
        await support.ScreenshotAsync("support-record-payment");

        await page.GotoAsync(statementUrl);
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("[data-testid='statement-remaining']")).ToHaveTextAsync("78.00 EUR");
        await page.ScreenshotAsync("statement-part-paid-light");

        await support.Locator("input[data-testid='payment-amount']").FillAsync("78");
        await support.Locator("[data-testid='payment-save']").ClickAsync();
        await Expect(dialog).ToContainTextAsync("Paid");
        await Expect(support.Locator("[data-testid='record-payment']")).ToHaveCountAsync(0);

        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await page.Locator("[data-testid='billing-link']").ClickAsync();
        await Expect(page.Locator("[data-testid='statement-row']").First).ToContainTextAsync("Paid");
    }
}

using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>A partner (accounting firm) onboards clients by both paths and works inside them.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PartnerJourneys(BrowserFixture fixture)
{
    private static async Task ChooseAsync(IPage page, string selectTestId, string option)
    {
        await page.Locator($"[data-testid='{selectTestId}']").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
    }

    [Fact]
    public async Task A_partner_creates_a_client_by_each_path_switches_into_it_and_sees_its_chart()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("paula.partner@demo.multiorg.test");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Brightside Accounting" })).ToBeVisibleAsync();

        await page.Locator("[data-testid='org-switcher-button']").ClickAsync();
        var items = page.Locator("[data-testid='org-switcher-item']");
        await Expect(items.First).ToContainTextAsync("Brightside Accounting");
        await Expect(items.First.Locator("[data-testid='org-switcher-crown']")).ToBeVisibleAsync();
        await Expect(items.First.Locator("[data-testid='org-switcher-partner-badge']")).ToHaveTextAsync("Partner");
        await page.Keyboard.PressAsync("Escape");

        await page.Locator("a[href$='/organizations']").First.ClickAsync();
        await Expect(page.Locator("[data-testid='partner-badge']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='client-count']")).ToHaveTextAsync("2 client organizations");
        await Expect(page.Locator("[data-testid='assistant-url']")).ToHaveTextAsync(new Regex("/mcp/[0-9a-f-]{36}$"));
        await Expect(page.Locator("[data-testid='assistant-connection'] [data-testid='copy-assistant-url']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='clients-table'] [data-testid='copy-assistant-url']")).ToHaveCountAsync(2);

        // Path 1: copy the firm's own configuration, with its entity, for a client in Germany (the firm is in the US).
        await page.Locator("[data-testid='create-client']").ClickAsync();
        await page.Locator("input[data-testid='client-name-input']").FillAsync("Copycat Consulting");
        await ChooseAsync(page, "copy-country", "Germany");
        await page.ScreenshotAsync("create-client-copy-light");
        await page.Locator("[data-testid='create-client-submit']").ClickAsync();
        await Expect(page.Locator("input[data-testid='new-client-key']")).ToHaveValueAsync(new Regex("^mo_[0-9a-f]{12}_"));
        await page.ScreenshotAsync("create-client-done");
        await page.Locator("[data-testid='back-to-clients']").ClickAsync();
        await Expect(page.GetByText("Copycat Consulting was created.")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='client-count']")).ToHaveTextAsync("3 client organizations");
        await Expect(page.Locator("[data-testid='clients-table'] tr", new() { HasText = "Copycat Consulting" })).ToContainTextAsync("Germany");

        // Path 2: start fresh from the French templates.
        await page.Locator("[data-testid='create-client']").ClickAsync();
        await page.Locator("input[data-testid='client-name-input']").FillAsync("Lyon Boulangerie SARL");
        await page.GetByText("Start fresh from templates").ClickAsync();
        await ChooseAsync(page, "country", "France");
        await ChooseAsync(page, "standard", "IFRS");
        await Expect(page.GetByText("Detected: EU VAT")).ToBeVisibleAsync();
        await page.Locator("[data-testid='create-client-submit']").ClickAsync();
        await page.Locator("[data-testid='back-to-clients']").ClickAsync();
        await Expect(page.GetByText("Lyon Boulangerie SARL was created.")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='client-name']")).ToHaveCountAsync(4);
        await page.ScreenshotAsync("organizations-partner");

        // Into the copied client: its chart is the firm's chart, its entity came with its profiles.
        await page.Locator("tr", new() { Has = page.GetByText("Copycat Consulting", new() { Exact = true }) }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Copycat Consulting" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='dashboard-role']")).ToContainTextAsync("OWNER"); // the partner's OWNERs act as its clients' owners
        await page.Locator("a[href$='/accounting']").First.ClickAsync();
        await Expect(page.Locator("[data-testid='account-row-number']")).ToHaveCountAsync(45);
        await Expect(page.Locator("tr", new() { Has = page.GetByText("1010", new() { Exact = true }) })).ToContainTextAsync("Cash - Operating");
        await page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^Entities") }).ClickAsync();
        await Expect(page.Locator("[data-testid='entities-table']")).ToContainTextAsync("BS-US");
        await page.ScreenshotAsync("accounting-copied-client");

        // Switch to the template client, staying on Accounting: its own IFRS chart and French VAT.
        await page.Locator("[data-testid='org-switcher-button']").ClickAsync();
        await page.Locator("[data-testid='org-switcher-item']", new() { HasText = "Lyon Boulangerie SARL" }).ClickAsync();
        await Expect(page.Locator("[data-testid='org-switcher-button']")).ToContainTextAsync("Lyon Boulangerie SARL");
        await Expect(page).ToHaveURLAsync(new Regex("/accounting$"));
        await Expect(page.Locator("tr", new() { Has = page.GetByText("1620", new() { Exact = true }) })).ToContainTextAsync("Trade receivables");
        (await page.VisibleTextAsync()).Should().NotContain("Cash - Operating");
        await page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^Tax codes") }).ClickAsync();
        await Expect(page.Locator("tr", new() { Has = page.GetByText("VAT-STD", new() { Exact = true }) })).ToContainTextAsync("20 %");
        await page.ScreenshotAsync("accounting-template-client");

        // The same pages in dark mode, and the client's own organizations page.
        await page.Locator("[data-testid='theme-toggle']").ClickAsync();
        await page.WaitForTimeoutAsync(300);
        await page.ScreenshotAsync("accounting-dark");
        await page.Locator("a[href$='/organizations']").First.ClickAsync();
        await Expect(page.GetByText("Client of Brightside Accounting")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='assistant-url']")).ToBeVisibleAsync();
        await page.ScreenshotAsync("organizations-client-dark");
        await page.Locator("[data-testid='theme-toggle']").ClickAsync();
    }
}

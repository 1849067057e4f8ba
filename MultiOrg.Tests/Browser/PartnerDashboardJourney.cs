using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>Issue 13: a partner reads its dashboard, a client's drift, and pushes a new tax code to every client.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PartnerDashboardJourney(BrowserFixture fixture)
{
    [Fact]
    public async Task A_partner_opens_the_dashboard_reads_a_clients_drift_and_pushes_a_new_tax_code_to_all_clients()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("paula.partner@demo.multiorg.test");

        // Other journeys may leave Paula in a client last; the partner is one switch away.
        await page.Locator("[data-testid='org-switcher-button']").ClickAsync();
        await page.Locator("[data-testid='org-switcher-item']", new() { HasText = "Brightside Accounting" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Brightside Accounting" })).ToBeVisibleAsync();

        // A new tax code in the firm's own configuration (a unique code, so the journey can run on a reused database).
        var code = "GST" + Random.Shared.Next(100, 999);
        await page.Locator("a[href$='/accounting']").First.ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^Tax codes") }).ClickAsync();
        var form = page.Locator("[data-testid='tab-tax-codes']");
        await form.GetByRole(AriaRole.Textbox, new() { Name = "Code", Exact = true }).FillAsync(code);
        await form.GetByRole(AriaRole.Textbox, new() { Name = "Name", Exact = true }).FillAsync("Goods and services");
        await form.GetByRole(AriaRole.Spinbutton, new() { Name = "Rate %" }).Or(form.GetByRole(AriaRole.Textbox, new() { Name = "Rate %" })).First.FillAsync("5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add tax code" }).ClickAsync();
        await Expect(page.Locator("[data-testid='tax-codes-table']")).ToContainTextAsync(code);

        await page.Locator("[data-testid='partner-dashboard-link']").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Partner dashboard" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='partner-client-name']").First).ToBeVisibleAsync();
        var clients = await page.Locator("[data-testid='partner-client-name']").CountAsync();
        clients.Should().BeGreaterThanOrEqualTo(2);
        await Expect(page.Locator("[data-testid='summary-clients-value']")).ToHaveTextAsync(clients.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var greenfield = page.Locator("[data-testid='partner-clients-grid'] tr", new() { HasText = "Greenfield Bakery" });
        await Expect(greenfield.Locator("[data-testid='onboarding-status']")).ToHaveTextAsync("Templates · 2/2 layers");
        await page.ScreenshotAsync("partner-dashboard-light");

        await page.Locator("[data-testid='partner-search'] input, input[data-testid='partner-search']").First.FillAsync("Hofmann");
        await Expect(page.Locator("[data-testid='partner-client-name']")).ToHaveTextAsync(["Hofmann Maschinenbau GmbH"]);
        await page.Locator("input[data-testid='partner-search']").FillAsync("");
        await Expect(page.Locator("[data-testid='partner-client-name']")).ToHaveCountAsync(clients);

        // Greenfield started from templates: the firm's tax code is missing there, its own template codes are local.
        await greenfield.Locator("[data-testid='open-drift']").ClickAsync();
        var drift = page.Locator("[data-testid='drift-table']");
        await Expect(drift).ToBeVisibleAsync();
        await Expect(drift.Locator("tr", new() { HasText = code })).ToContainTextAsync("Missing");
        await Expect(drift.Locator("[data-testid='drift-item-key']")).ToHaveTextAsync([code, "Bill approval"]);
        await page.ScreenshotAsync("partner-drift");
        await page.Locator("[data-testid='drift-close']").ClickAsync();

        // Push the new tax code to all clients: preview, confirm, progress, result per client.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Push configuration" }).ClickAsync();
        await page.Locator("input[data-testid='push-item-search']").FillAsync(code);
        await page.Locator("[data-testid='push-items'] tbody tr", new() { HasText = code }).Locator("input[type='checkbox']").First.CheckAsync();
        await Expect(page.Locator("[data-testid='push-selected-count']")).ToHaveTextAsync("1 selected");
        await page.Locator("[data-testid='push-preview']").ClickAsync();
        await Expect(page.Locator("[data-testid='push-preview-summary']")).ToContainTextAsync($"{clients} of {clients}");
        await Expect(page.Locator("[data-testid='push-item-action']", new() { HasText = $"{code}: add" })).ToHaveCountAsync(clients);
        await page.ScreenshotAsync("partner-push-preview");
        await page.Locator("[data-testid='push-apply']").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Push", Exact = true }).ClickAsync();
        await Expect(page.Locator("[data-testid='push-progress-text']")).ToHaveTextAsync($"{clients} of {clients} clients");
        await Expect(page.Locator("[data-testid='push-progress']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='push-outcome']", new() { HasText = "Changed" })).ToHaveCountAsync(clients);
        await Expect(page.Locator("[data-testid='push-report-summary']")).ToContainTextAsync($"{clients} changed, 0 unchanged, 0 failed");
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await page.ScreenshotAsync("partner-push-done-light");

        // Dark mode, and the grid now counts one more tax code in Greenfield.
        await page.Locator("[data-testid='theme-toggle']").ClickAsync();
        await page.WaitForTimeoutAsync(300);
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await page.ScreenshotAsync("partner-push-done-dark");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Clients" }).ClickAsync();
        await Expect(page.Locator("[data-testid='partner-client-name']")).ToHaveCountAsync(clients);
        await page.Mouse.MoveAsync(600, 700);
        await page.ScreenshotAsync("partner-dashboard-dark");
        await page.Locator("[data-testid='theme-toggle']").ClickAsync();
    }
}

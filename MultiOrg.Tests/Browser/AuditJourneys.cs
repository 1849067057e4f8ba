using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class AuditJourneys(BrowserFixture fixture)
{
    [Fact]
    public async Task An_owner_reads_filters_verifies_and_exports_the_audit_log()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("olivia.owner@demo.multiorg.test");
        await page.Locator("input[data-testid='note-text']").FillAsync("Audited from the browser");
        await page.Locator("[data-testid='add-note']").ClickAsync();
        await Expect(page.Locator("[data-testid='note']", new() { HasText = "Audited from the browser" })).ToBeVisibleAsync();
        await page.Locator("a[href$='/audit']").First.ClickAsync();
        await Expect(page.Locator("[data-testid='audit-action']", new() { HasText = "OrganizationNote.created" }).First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='audit-action']").First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='audit-action']", new() { HasText = "Organization.created" })).ToHaveCountAsync(1);

        await page.Locator("[data-testid='verify-audit']").ClickAsync();
        await Expect(page.Locator("[data-testid='audit-verification']")).ToContainTextAsync("intact");

        var noteExport = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid='export-audit']").ClickAsync());
        var noteCsv = await File.ReadAllTextAsync((await noteExport.PathAsync())!);
        noteCsv.Split('\n').Should().Contain(line => line.Contains("OrganizationNote.created") && line.Contains("127.0.0.1") && line.Contains("Page"),
            "a page action is recorded with its door and the client's address");

        await page.GetByPlaceholder("Action, e.g. OrganizationMember").FillAsync("OrganizationMember");
        await Expect(page.Locator("[data-testid='audit-action']", new() { HasText = "Organization.created" })).ToHaveCountAsync(0);
        await page.ScreenshotAsync("audit-log");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid='export-audit']").ClickAsync());
        download.SuggestedFilename.Should().EndWith(".csv");
        var path = await download.PathAsync();
        (await File.ReadAllTextAsync(path!)).Should().Contain("OrganizationMember.created").And.NotContain("Organization.created,");
    }
}

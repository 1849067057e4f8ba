using System.Text.RegularExpressions;
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
        await Expect(page.Locator("[data-testid='audit-action'][data-action='OrganizationNote.created']").First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='audit-action']").First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='audit-action'][data-action='Organization.created']")).ToHaveCountAsync(1);

        await page.Locator("[data-testid='verify-audit']").ClickAsync();
        await Expect(page.Locator("[data-testid='audit-verification']")).ToContainTextAsync("intact");

        var noteExport = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid='export-audit']").ClickAsync());
        var noteCsv = await File.ReadAllTextAsync((await noteExport.PathAsync())!);
        noteCsv.Split('\n').Should().Contain(line => line.Contains("OrganizationNote.created") && line.Contains("127.0.0.1") && line.Contains("Page"),
            "a page action is recorded with its door and the client's address");

        await page.FilterAuditByActionAsync("Members");
        await Expect(page.Locator("[data-testid='audit-action'][data-action='Organization.created']")).ToHaveCountAsync(0);

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid='export-audit']").ClickAsync());
        download.SuggestedFilename.Should().EndWith(".csv");
        var path = await download.PathAsync();
        (await File.ReadAllTextAsync(path!)).Should().Contain("OrganizationMember.created").And.NotContain("Organization.created,");
    }

    [Fact]
    public async Task The_audit_log_shows_names_plain_actions_and_the_apps_date_format_and_filters_by_plain_names()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("olivia.owner@demo.multiorg.test");
        await page.GotoAsync($"/organizations/{page.OrganizationIdFromUrl()}/audit");
        await page.WaitForCircuitAsync();
        var grid = page.Locator("[data-testid='audit-grid'] tbody");
        await Expect(grid.Locator("[data-testid='audit-action']").First).ToBeVisibleAsync();

        var text = await grid.InnerTextAsync();
        Regex.Matches(text, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").Select(m => m.Value).Should().BeEmpty("people, organizations and teams are named, never shown as ids");
        text.Should().NotContainAny(["OrganizationMember", "TeamMember.created", ".created", ".updated", "DepartmentAdmin"]);
        await Expect(page.Locator("[data-testid='audit-action'][data-action='OrganizationMember.created']", new() { HasText = "Member added" }).First).ToBeVisibleAsync();
        await Expect(grid).ToContainTextAsync("Mia Member");
        var dates = await grid.Locator("[data-testid='audit-when']").AllInnerTextsAsync();
        dates.Should().NotBeEmpty().And.OnlyContain(d => Regex.IsMatch(d, @"^\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}$"), $"one date format, as the rest of the app writes it ({string.Join(" | ", dates.Take(3))})");

        await Expect(page.Locator("[data-testid='audit-grid'] label").Filter(new() { HasTextRegex = new Regex("^Date$") })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Start date")).ToBeVisibleAsync();
        await page.FilterAuditByActionAsync("Teams");
        // The filter's label changes before the grid reloads: wait until no other kind of entry is left, and some are shown.
        await Expect(grid.Locator("[data-testid='audit-action']:not([data-action^='Team.'])")).ToHaveCountAsync(0);
        await Expect(grid.Locator("[data-testid='audit-action']").First).ToBeVisibleAsync();
        var actions = await grid.Locator("[data-testid='audit-action']").EvaluateAllAsync<string[]>("cells => cells.map(c => c.dataset.action)");
        actions.Should().NotBeEmpty().And.OnlyContain(a => a.StartsWith("Team.", StringComparison.Ordinal), "the Teams filter keeps team entries only");
        await page.ScreenshotAsync("audit-log");
    }
}

/// <summary>Steps on the audit log page.</summary>
public static class AuditSteps
{
    /// <summary>Chooses a kind of action by its plain name in the audit log's action filter.</summary>
    public static async Task FilterAuditByActionAsync(this IPage page, string name)
    {
        await page.Locator("[data-testid='audit-action-filter']").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new Regex($"^\\s*{Regex.Escape(name)}\\s*$") }).ClickAsync();
        await Expect(page.Locator("[data-testid='audit-action-filter']")).ToContainTextAsync(name);
    }
}

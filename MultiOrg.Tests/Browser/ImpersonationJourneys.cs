using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ImpersonationJourneys(BrowserFixture fixture)
{
    private const string Reason = "Ticket 4711: Olivia cannot find where to rename the company";

    [Fact]
    public async Task Support_impersonates_read_only_with_a_reason_is_refused_a_change_ends_it_and_the_owner_sees_it()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("sid.support@demo.multiorg.test");
        await page.Locator("[data-testid='support-link']").ClickAsync();
        await page.Locator("input[data-testid='support-search']").FillAsync("Acme Corp");
        await Expect(page.Locator("[data-testid='support-org-name']")).ToHaveTextAsync(["Acme Corp"]);

        await page.Locator("[data-testid='support-impersonate']").ClickAsync();
        await page.Locator("[data-testid='impersonate-start']").ClickAsync();
        await Expect(page.Locator("[data-testid='impersonate-dialog']")).ToContainTextAsync("at least 10 characters");
        await page.CheckDialogAsync("with its validation error");
        await page.Locator("textarea[data-testid='impersonate-reason']").FillAsync(Reason);
        await page.ScreenshotAsync("impersonate-dialog");
        await page.Locator("[data-testid='impersonate-start']").ClickAsync();

        await page.WaitForURLAsync(url => url.EndsWith("/dashboard", StringComparison.Ordinal));
        var acme = page.OrganizationIdFromUrl();
        var banner = page.Locator("[data-testid='impersonation-banner']");
        await Expect(banner).ToContainTextAsync("Impersonating Acme Corp");
        await Expect(banner).ToContainTextAsync("read-only");
        await Expect(banner).ToContainTextAsync(Reason);
        await Expect(page.Locator("[data-testid='impersonation-remaining']")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^(29|30):\d\d$"));
        await Expect(banner.Locator("button")).ToHaveTextAsync(["End impersonation"]);
        await page.ScreenshotAsync("impersonation-banner-light");

        // Support sees the Settings form as admins do, read-only, with no Save to be refused after.
        await page.GetByRole(AriaRole.Link, new() { Name = "Settings", Exact = true }).ClickAsync();
        await Expect(page.Locator("input[data-testid='settings-name']")).ToHaveValueAsync("Acme Corp");
        await Expect(page.Locator("input[data-testid='settings-name']")).Not.ToBeEditableAsync();
        await Expect(page.Locator("[data-testid='settings-save']")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid='settings-readonly']")).ToContainTextAsync("This impersonation is read-only");
        await Expect(page.Locator("[data-testid='impersonation-org']")).ToHaveTextAsync("Acme Corp");
        await page.Locator("[data-testid='theme-toggle']").ClickAsync();
        await page.Mouse.MoveAsync(600, 600);
        await page.ScreenshotAsync("impersonation-banner-dark");
        await page.Locator("[data-testid='theme-toggle']").ClickAsync();
        await page.Mouse.MoveAsync(600, 600);

        // A system administrator sees, on the internal users page, who is impersonating what right now.
        var admin = await fixture.NewPageAsync();
        await admin.SignInAsync("ada.sysadmin@demo.multiorg.test");
        await admin.Locator("[data-testid='internal-users-link']").ClickAsync();
        var sidRow = admin.Locator("[data-testid='internal-users'] tr", new() { HasText = "sid.support@demo.multiorg.test" });
        await Expect(sidRow.Locator("[data-testid='internal-user-impersonating']")).ToHaveTextAsync("Acme Corp");
        await admin.ScreenshotAsync("internal-users");

        await page.Locator("[data-testid='impersonation-end']").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/support", StringComparison.Ordinal));
        await Expect(page.Locator("[data-testid='impersonation-banner']")).ToHaveCountAsync(0);

        var owner = await fixture.NewPageAsync();
        await owner.SignInAsync("olivia.owner@demo.multiorg.test");
        await owner.GotoAsync($"/organizations/{acme}/audit");
        await owner.WaitForCircuitAsync();
        await owner.FilterAuditByActionAsync("Impersonation");

        // The newest two are this session's (other journeys impersonate Acme too).
        var actions = owner.Locator("[data-testid='audit-action']");
        await Expect(actions.Nth(0)).ToHaveTextAsync(new Regex("^Impersonation ended"));
        await Expect(actions.Nth(1)).ToHaveTextAsync(new Regex("^Impersonation started"));
        await Expect(owner.Locator("[data-testid='audit-grid']")).ToContainTextAsync(Reason);
        await Expect(owner.Locator("[data-testid='audit-grid']")).ToContainTextAsync("Sid Support");
        await owner.ScreenshotAsync("impersonation-audit");
    }
}

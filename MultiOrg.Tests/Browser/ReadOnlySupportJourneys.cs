using System.Diagnostics;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>
/// The support journey of #25: impersonate read-only, open every page of the menu, see the organization's data, find
/// no field to edit, no change to offer and no error; end the session in one tab and see every other tab leave.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReadOnlySupportJourneys(BrowserFixture fixture)
{
    private const string Reason = "Ticket 4714: Olivia says the pending invitation is gone";

    /// <summary>Each page of the organization's menu, and something of Acme's own data it must show.</summary>
    private static readonly (string Link, string Data)[] Menu =
    [
        ("Dashboard", "Acme Corp"),
        ("Organizations", "Acme Corp"),
        ("Members", "Olivia Owner"),
        ("Teams", "Month-end close"),
        ("Accounting", "Acme Corp"),
        ("API keys", "Acme Corp"),
        ("Audit log", "Sid Support"),
        ("Billing", "29.00 EUR"),
        ("Settings", "demo.multiorg.test"),
        ("Security", "Acme Corp"),
    ];

    /// <summary>Buttons that would change something: none may be offered to a read-only impersonation.</summary>
    private static readonly System.Text.RegularExpressions.Regex Change = new(
        @"^(save|add|create|new|invite|import|remove|delete|revoke|rename|upload|approve|reject|resend|change|buy|check now|post|leave|clear|push|increment|decrement|sign .* out|use multiorg|back to the default)",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    /// <summary>
    /// Fields a person could type into or tick, in the page's main area: neither disabled nor read-only. Search and filter
    /// boxes narrow what is shown and change nothing, so they do not count.
    /// </summary>
    private const string EditableFields = """
        () => [...document.querySelectorAll('.mud-main-content input:not([type=hidden]), .mud-main-content textarea, .mud-main-content select, .mud-main-content [contenteditable=true]')]
            .filter(e => e.getClientRects().length > 0 && !e.disabled && !e.readOnly && e.getAttribute('aria-readonly') !== 'true' && e.getAttribute('aria-disabled') !== 'true')
            .map(e => [e.getAttribute('aria-label'), e.placeholder, e.labels && e.labels[0] ? e.labels[0].textContent : '', e.closest('.mud-input-control')?.querySelector('label')?.textContent, e.type]
                .filter(Boolean).join(' | ').replace(/\s+/g, ' ').trim())
            .filter(name => !/search|filter/i.test(name))
        """;

    private const string Buttons = """
        () => [...document.querySelectorAll('.mud-main-content button, .mud-main-content a.mud-button-root')]
            .filter(e => e.getClientRects().length > 0 && !e.disabled && e.getAttribute('aria-disabled') !== 'true')
            .map(e => (e.getAttribute('aria-label') || e.textContent || '').replace(/\s+/g, ' ').trim())
        """;

    [Fact]
    public async Task Support_impersonating_read_only_opens_every_page_of_the_menu_sees_the_data_can_edit_nothing_and_every_tab_leaves_when_it_ends()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("sid.support@demo.multiorg.test");
        await page.Locator("[data-testid='support-link']").ClickAsync();
        await page.Locator("input[data-testid='support-search']").FillAsync("Acme Corp");
        await Expect(page.Locator("[data-testid='support-org-name']")).ToHaveTextAsync(["Acme Corp"]);
        await page.Locator("[data-testid='support-impersonate']").ClickAsync();
        await page.Locator("textarea[data-testid='impersonate-reason']").FillAsync(Reason);
        await page.Locator("[data-testid='impersonate-start']").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/dashboard", StringComparison.Ordinal));
        var acme = page.OrganizationIdFromUrl();
        var organizationLinks = page.Locator($".mo-drawer a[href^='/organizations/{acme}/']");
        await Expect(organizationLinks).ToHaveTextAsync(Menu.Select(m => m.Link).ToArray());

        foreach (var (link, data) in Menu)
        {
            var menuLink = organizationLinks.Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^{System.Text.RegularExpressions.Regex.Escape(link)}$") });
            var href = await menuLink.GetAttributeAsync("href");
            await menuLink.ClickAsync();
            await page.WaitForURLAsync(url => url.EndsWith(href!, StringComparison.Ordinal));
            await ShowsDataAndChangesNothingAsync(page, link, data);

            // A full load of the page too (the old members page answered 500 to it).
            var response = await page.ReloadAsync();
            response!.Status.Should().Be(200, $"{link} loads on its own");
            await page.WaitForCircuitAsync();
            await ShowsDataAndChangesNothingAsync(page, link, data);
        }

        // Members: the pending invitation and Sam's join request, without the buttons that answer them.
        await page.GotoAsync($"/organizations/{acme}/members");
        await page.WaitForCircuitAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Invitations" }).ClickAsync();
        await Expect(page.Locator("[data-testid='invitation-email']")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid='resend-invitation'], [data-testid='revoke-invitation']")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Join requests" }).ClickAsync();
        await Expect(page.Locator("[data-testid='join-request-name']")).ToContainTextAsync(["Sam Solo"]);
        await Expect(page.Locator("[data-testid='approve-request'], [data-testid='reject-request']")).ToHaveCountAsync(0);

        // Other tabs of the same support user: a new one at "/" opens the impersonated organization (under the banner).
        var fresh = await page.Context.NewPageAsync();
        await fresh.GotoAsync("/");
        await fresh.WaitForURLAsync(url => url.EndsWith($"/organizations/{acme}/dashboard", StringComparison.Ordinal));
        await Expect(fresh.Locator("[data-testid='impersonation-org']")).ToHaveTextAsync("Acme Corp");
        var members = await page.Context.NewPageAsync();
        await members.GotoAsync($"/organizations/{acme}/members");
        await members.WaitForCircuitAsync();
        await Expect(members.Locator("[data-testid='impersonation-remaining']")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^(29|30):\d\d$"));

        // Ended in the newest tab: the event port tells the others, which drop the session and go to the support console.
        await fresh.Locator("[data-testid='impersonation-end']").ClickAsync();
        await fresh.WaitForURLAsync(url => url.EndsWith("/support", StringComparison.Ordinal));
        var clock = Stopwatch.StartNew();
        foreach (var tab in new[] { page, members })
        {
            await Expect(tab).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/support$"), new() { Timeout = 10_000 });
            await Expect(tab.Locator("[data-testid='impersonation-banner']")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        }

        // Well under a second on a quiet machine; the bound allows a busy suite (and is far below the 30-minute limit).
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "the event ended every tab (measured {0:0} ms after the ending tab left)", clock.Elapsed.TotalMilliseconds);
        await Expect(page.Locator("[data-testid='support-link']")).ToBeVisibleAsync();

        // A tab opened now starts where support belongs: the console, not "New organization".
        var later = await page.Context.NewPageAsync();
        await later.GotoAsync("/");
        await later.WaitForURLAsync(url => url.EndsWith("/support", StringComparison.Ordinal));
        await later.WaitForCircuitAsync();
        await Expect(later.Locator("input[data-testid='support-search']")).ToBeVisibleAsync();
        await Expect(later.Locator("[data-testid='impersonation-banner']")).ToHaveCountAsync(0);
    }

    private static async Task ShowsDataAndChangesNothingAsync(IPage page, string link, string data)
    {
        var main = page.Locator(".mud-main-content");
        await Expect(main).ToContainTextAsync(data);
        await Expect(page.Locator("[data-testid='impersonation-org']")).ToHaveTextAsync("Acme Corp");
        await Expect(page.Locator("[data-testid='no-access']")).ToHaveCountAsync(0);
        await Expect(page.Locator(".mud-snackbar[class*='error']")).ToHaveCountAsync(0);
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        (await main.InnerTextAsync()).Should().NotContain("An error occurred", link);

        var editable = await page.EvaluateAsync<string[]>(EditableFields);
        editable.Should().BeEmpty($"{link} must show every field read-only during a read-only impersonation");
        var changes = (await page.EvaluateAsync<string[]>(Buttons)).Where(b => Change.IsMatch(b)).ToList();
        changes.Should().BeEmpty($"{link} must offer no change during a read-only impersonation");
    }
}

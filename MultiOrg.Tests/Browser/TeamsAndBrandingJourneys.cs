using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class TeamsAndBrandingJourneys(BrowserFixture fixture)
{
    private const string Teal = "#0f766e";

    [Fact]
    public async Task An_admin_builds_teams_brands_the_organization_and_the_theme_follows_a_switch()
    {
        // Adam works in an organization of his own, so the demo's counts stay as the other journeys expect them.
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("adam.admin@demo.multiorg.test");
        await page.GotoAsync("/organizations/new");
        await page.WaitForCircuitAsync();
        var organizationName = $"Orbit Labs {Guid.NewGuid().ToString()[..4]}";
        await page.Locator("input[data-testid='org-name']").FillAsync(organizationName);
        await page.Locator("[data-testid='create-org']").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/dashboard", StringComparison.Ordinal));
        await page.WaitForCircuitAsync();
        var organizationId = page.OrganizationIdFromUrl();
        try
        {
            await BuildAndBrandAsync(page, organizationId);
        }
        finally
        {
            // Leave the shared demo as the other journeys know it (they count Mia's and Olivia's organizations), even
            // when a step above failed: a fresh tab deletes the organization.
            var cleanup = await fixture.NewPageAsync();
            await cleanup.SignInAsync("adam.admin@demo.multiorg.test");
            await cleanup.GotoAsync($"/organizations/{organizationId}/settings");
            await cleanup.WaitForCircuitAsync();
            await cleanup.Locator("[data-testid='delete-org']").ClickAsync();
            await cleanup.Locator("input[data-testid='delete-confirm-name']").FillAsync(organizationName);
            await cleanup.Locator("[data-testid='delete-confirm']").ClickAsync();
            await cleanup.WaitForURLAsync(url => !url.Contains(organizationId.ToString(), StringComparison.Ordinal));
        }
    }

    private static async Task BuildAndBrandAsync(IPage page, Guid organizationId)
    {

        // Two people join first, so the team has someone to lead.
        await page.GotoAsync($"/organizations/{organizationId}/members");
        await page.WaitForCircuitAsync();
        foreach (var email in new[] { "mia.member@demo.multiorg.test", "olivia.owner@demo.multiorg.test" })
        {
            await page.Locator("[data-testid='add-member']").ClickAsync();
            await page.Locator("input[data-testid='add-member-email']").FillAsync(email);
            await page.Locator("[data-testid='add-member-submit']").ClickAsync();
            await Expect(page.Locator("[data-testid='add-member-dialog']")).ToHaveCountAsync(0);
        }

        await Expect(page.Locator("[data-testid='member-name']")).ToHaveCountAsync(3);

        // A department, and a team inside it.
        await page.GotoAsync($"/organizations/{organizationId}/teams");
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("[data-testid='teams-empty']")).ToBeVisibleAsync();
        await page.Locator("[data-testid='new-department']").ClickAsync();
        await page.Locator("input[data-testid='structure-name']").FillAsync("Engineering");
        await page.Locator("[data-testid='structure-submit']").ClickAsync();
        await Expect(page.Locator("[data-testid='department-name']")).ToHaveTextAsync("Engineering");
        await page.Locator("[data-testid='new-team']").ClickAsync();
        await page.Locator("input[data-testid='structure-name']").FillAsync("Platform");
        await page.Locator(".mo-structure-parent .mud-select-input").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Engineering" }).ClickAsync();
        await page.Locator("[data-testid='structure-submit']").ClickAsync();
        await Expect(page.Locator("[data-testid='team-name']")).ToHaveTextAsync("Platform");

        // Members in the team; Mia leads it.
        await page.Locator("[data-testid='team-members']").ClickAsync();
        foreach (var name in new[] { "Mia Member", "Olivia Owner" })
        {
            // Under load the list can close before the pick registers: pick again until Add is enabled.
            for (var attempt = 0; attempt < 3 && !await page.Locator("[data-testid='people-add']").IsEnabledAsync(); attempt++)
            {
                await page.Locator("input[data-testid='people-candidate']").FillAsync(name.Split(' ')[0]);
                await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = name }).ClickAsync();
                await page.WaitForTimeoutAsync(300);
            }

            await page.Locator("[data-testid='people-add']").ClickAsync();
            await Expect(page.Locator("[data-testid='people-row']", new() { HasText = name })).ToBeVisibleAsync();
        }

        await page.Locator("[data-testid='people-row']", new() { HasText = "Mia Member" }).Locator(".mo-leader-switch input").CheckAsync();
        await Expect(page.Locator("[data-testid='people-row']").First).ToContainTextAsync("Mia Member");
        await page.ScreenshotAsync("team-members-dialog");
        await page.Locator("[data-testid='people-done']").ClickAsync();
        await Expect(page.Locator("[data-testid='team-leaders']")).ToHaveTextAsync("Mia Member");
        await NoSnackbarsAsync(page);
        await page.ScreenshotAsync("teams-light");

        // The members grid shows where people are.
        await page.GotoAsync($"/organizations/{organizationId}/members");
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("tr", new() { HasText = "Mia Member" }).Locator("[data-testid='member-teams']")).ToHaveTextAsync("Platform (leader)");
        await page.ScreenshotAsync("members-teams-light");

        // Logo and colour.
        await page.GotoAsync($"/organizations/{organizationId}/settings");
        await page.WaitForCircuitAsync();
        var logo = Path.Combine(AppServer.RepositoryRoot(), "MultiOrg.Tests", "Browser", "Assets", "orbit-logo.png");
        var brandLogo = page.Locator("[data-testid='brand-logo']");
        for (var attempt = 0; attempt < 3 && await brandLogo.CountAsync() == 0; attempt++)
        {
            // Blazor wires the file input up just after it renders; a file set before that is not seen.
            await page.Locator("[data-testid='branding'] input[type='file']").SetInputFilesAsync(logo);
            try
            {
                await brandLogo.WaitForAsync(new LocatorWaitForOptions { Timeout = 5_000 });
            }
            catch (TimeoutException)
            {
                // Not picked up: pick it again.
            }
        }

        await Expect(brandLogo).ToBeVisibleAsync();
        await page.Locator("input[data-testid='color-input']").FillAsync("#ffeb3b");
        await page.Locator("[data-testid='color-save']").ClickAsync();
        await Expect(page.Locator("[data-testid='branding']")).ToContainTextAsync("too light for white text");
        await page.Locator("input[data-testid='color-input']").FillAsync(Teal);
        await page.Locator("[data-testid='color-save']").ClickAsync();
        await Expect(page.Locator("[data-testid='brand']")).ToHaveAttributeAsync("data-primary", Teal);
        await page.Locator("[data-testid='template-preview']").ClickAsync();
        await Expect(page.Locator("[data-testid='preview-subject']")).ToContainTextAsync("invited you to Orbit Labs");
        await NoSnackbarsAsync(page);
        await page.Locator("[data-testid='branding']").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "settings-branding-light.png") });
        (await PrimaryOfAsync(page)).Should().Be("rgb(15, 118, 110)");

        // Another organization has its own colour; back again, the teal returns.
        await SwitchToAsync(page, "Side Project LLC");
        await Expect(page.Locator("[data-testid='brand']")).ToHaveAttributeAsync("data-primary", "#b45309");
        await Expect(page.Locator("[data-testid='brand-logo']")).ToHaveCountAsync(0);
        (await PrimaryOfAsync(page)).Should().Be("rgb(180, 83, 9)");
        await page.ScreenshotAsync("theme-side-project");
        await SwitchToAsync(page, "Orbit Labs");
        await Expect(page.Locator("[data-testid='brand']")).ToHaveAttributeAsync("data-primary", Teal);
        await Expect(page.Locator("[data-testid='brand-logo']")).ToBeVisibleAsync();
        (await PrimaryOfAsync(page)).Should().Be("rgb(15, 118, 110)");

        // The dashboard shows the new team.
        await page.Locator("a[href$='/dashboard']").First.ClickAsync();
        await Expect(page.Locator("[data-testid='top-team']", new() { HasText = "Platform" })).ToHaveTextAsync("Platform · 2");
        await Expect(page.Locator("[data-testid='stat-active7-value']")).ToHaveTextAsync("1");
        await NoSnackbarsAsync(page);
        await page.ScreenshotAsync("org-dashboard-light");

        await page.Locator("[data-testid='theme-toggle']").ClickAsync();
        await page.Mouse.MoveAsync(600, 600);
        await page.WaitForTimeoutAsync(400);
        await page.ScreenshotAsync("org-dashboard-dark");
        await page.GotoAsync($"/organizations/{organizationId}/teams");
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("[data-testid='team-name']")).ToHaveTextAsync("Platform");
        await page.ScreenshotAsync("teams-dark");
        await page.GotoAsync($"/organizations/{organizationId}/settings");
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("input[data-testid='color-input']")).ToHaveValueAsync(Teal);
        await page.ScreenshotAsync("settings-dark");
        await page.GotoAsync("/directory");
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("[data-testid='directory-name']", new() { HasText = "Side Project LLC" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='directory-name']", new() { HasText = "Orbit Labs" })).ToHaveCountAsync(0);
        await page.ScreenshotAsync("directory-dark");
        await page.Locator("[data-testid='theme-toggle']").ClickAsync();
        await page.Mouse.MoveAsync(600, 600);
    }

    /// <summary>Lets the confirmations fade out, so a screenshot shows the page rather than them.</summary>
    private static Task NoSnackbarsAsync(IPage page) =>
        Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0, new() { Timeout = 15_000 });

    private static async Task SwitchToAsync(IPage page, string name)
    {
        await page.Locator("[data-testid='org-switcher-button']").ClickAsync();
        await page.Locator("[data-testid='org-switcher-item']", new() { HasText = name }).ClickAsync();
        // A switch keeps the page (Settings here): it is done when the switcher names the organization.
        await Expect(page.Locator("[data-testid='org-switcher-button']")).ToContainTextAsync(name);
    }

    /// <summary>The colour the theme gives primary elements right now (MudBlazor's CSS variable).</summary>
    private static Task<string> PrimaryOfAsync(IPage page) =>
        page.EvaluateAsync<string>("""
            () => { const probe = document.createElement('span'); probe.style.color = 'var(--mud-palette-primary)';
                    document.body.appendChild(probe); const c = getComputedStyle(probe).color; probe.remove(); return c; }
            """);
}

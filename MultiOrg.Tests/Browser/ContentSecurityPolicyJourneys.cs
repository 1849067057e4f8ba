using System.Collections.Concurrent;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>The Content-Security-Policy holds on the app's pages: the fixture fails any journey whose browser reports a violation.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyJourneys(BrowserFixture fixture)
{
    [Fact]
    public async Task The_policy_holds_on_the_organization_pages_the_account_pages_and_the_api_reference_in_the_dark_theme()
    {
        var page = await fixture.NewPageAsync(dark: true);
        await page.SignInAsync("olivia.owner@demo.multiorg.test");
        var organizationId = page.OrganizationIdFromUrl();

        foreach (var path in new[] { "dashboard", "members", "teams", "settings", "settings/security", "api-keys", "audit", "billing" })
        {
            await page.GotoAsync($"/organizations/{organizationId}/{path}");
            await page.WaitForCircuitAsync();
        }

        await page.GotoAsync("/directory");
        await page.WaitForCircuitAsync();

        // Statically rendered account pages (the passkey script runs on every page).
        foreach (var path in new[] { "/Account/Manage", "/Account/Manage/TwoFactorAuthentication", "/Account/Manage/Email", "/Account/Manage/Passkeys" })
        {
            var response = await page.GotoAsync(path);
            response!.Status.Should().Be(200, path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }

        await page.GotoAsync("/api-reference/");
        await Expect(page.GetByText("MultiOrg API").First).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        fixture.CspViolations.Should().BeEmpty();
    }

    [Fact]
    public async Task A_policy_violation_fails_the_journey_and_is_recorded_with_its_directive()
    {
        // Its own context and list: this violation is wanted, so it must not fail the fixture's other journeys.
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.Server.BaseUrl });
        var seen = new ConcurrentQueue<string>();
        context.FailOnCspViolations(seen);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");

        var step = async () =>
        {
            await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.head.appendChild(s); }");

            // The body never goes away by itself: only the page closing on the violation ends this wait early.
            await page.Locator("body").WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 15_000 });
        };

        // The step the close interrupts reports the violation itself; a step that starts after it, "page … closed".
        (await step.Should().ThrowAsync<PlaywrightException>()).Which.Message.Should().ContainAny("Content-Security-Policy violation", "closed");
        seen.Should().ContainSingle().Which.Should().Contain("script-src").And.Contain("/Account/Login");
        await context.CloseAsync();
    }
}

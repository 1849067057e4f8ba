using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SessionJourneys(BrowserFixture fixture)
{
    [Fact]
    public async Task Signing_a_member_out_everywhere_sends_their_open_tab_to_the_sign_in_page_at_once()
    {
        var mia = await fixture.NewPageAsync();
        await mia.SignInAsync("mia.member@demo.multiorg.test");

        // Acme, explicitly: other journeys move Mia's last-used organization.
        await mia.Locator("[data-testid='org-switcher-button']").ClickAsync();
        await mia.Locator("[data-testid='org-switcher-item']", new() { HasText = "Acme Corp" }).ClickAsync();
        await Expect(mia.GetByRole(AriaRole.Heading, new() { Name = "Acme Corp" })).ToBeVisibleAsync();
        var organizationId = mia.OrganizationIdFromUrl();
        await mia.GotoAsync("/Account/Manage/Sessions");
        await Expect(mia.Locator("[data-testid='this-session']")).ToBeVisibleAsync();
        await mia.ScreenshotAsync("sessions-light");
        await mia.GotoAsync($"/organizations/{organizationId}/dashboard");
        await mia.WaitForCircuitAsync();

        var olivia = await fixture.NewPageAsync(dark: true);
        await olivia.SignInAsync("olivia.owner@demo.multiorg.test");
        await olivia.GotoAsync($"/organizations/{organizationId}/members");
        await olivia.WaitForCircuitAsync();
        await Expect(olivia.Locator("[data-testid='sign-out-everywhere']")).Not.ToHaveCountAsync(0);
        await olivia.GetByPlaceholder("Search by name or email").FillAsync("mia.member");
        await Expect(olivia.Locator("[data-testid='sign-out-everywhere']")).ToHaveCountAsync(1);
        await olivia.WaitForTimeoutAsync(500); // the grid settles after the search before the row's button is clicked
        await olivia.Locator("[data-testid='sign-out-everywhere']").First.ClickAsync();
        await Expect(olivia.GetByText("is signed out of every browser and app")).ToBeVisibleAsync();
        await olivia.ScreenshotAsync("sign-out-everywhere-confirmation-dark");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await olivia.GetByRole(AriaRole.Button, new() { Name = "Sign out everywhere" }).ClickAsync();
        await Expect(olivia.GetByText("Mia Member was signed out everywhere.")).ToBeVisibleAsync();

        // Mia's tab did nothing: the event port tells her circuit, which sends it to the sign-in page (the 30-second
        // revalidation is only the fallback). Well under a second on a quiet machine; the bound allows a busy suite.
        await Expect(mia).ToHaveURLAsync(new Regex("/Account/Login"), new() { Timeout = 10_000 });
        await Expect(mia.Locator("[name='Input.Email']")).ToBeVisibleAsync();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "the event, not the 30-second revalidation, ended the tab (measured {0:0} ms)", clock.Elapsed.TotalMilliseconds);
    }
}

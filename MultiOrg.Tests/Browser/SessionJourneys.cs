using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SessionJourneys(BrowserFixture fixture)
{
    [Fact]
    public async Task Signing_a_member_out_everywhere_ends_their_open_tab_within_a_minute()
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
        await olivia.GetByRole(AriaRole.Button, new() { Name = "Sign out everywhere" }).ClickAsync();
        await Expect(olivia.GetByText("Mia Member was signed out everywhere.")).ToBeVisibleAsync();

        // Mia's tab did nothing: the circuit's own revalidation (every 30 s) notices and sends it to the sign-in page.
        // (Two navigations may race there, the layout's and the router's, so the address is polled rather than awaited.)
        await Expect(mia).ToHaveURLAsync(new Regex("/Account/Login"), new() { Timeout = 75_000 });
        await Expect(mia.Locator("[name='Input.Email']")).ToBeVisibleAsync();
    }
}

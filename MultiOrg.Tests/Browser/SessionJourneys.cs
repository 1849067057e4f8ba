using System.Net.Http.Json;
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

    [Fact]
    public async Task A_tab_resumed_after_the_password_changed_elsewhere_goes_to_the_sign_in_page_instead_of_rendering()
    {
        var email = $"resumed.{Guid.NewGuid():N}@example.test";
        const string password = "Resume!Passw0rd";
        var page = await fixture.NewPageAsync();
        await page.RegisterAsync(email, password);
        var organizationPage = page.Url;
        (await page.EvaluateAsync<bool>("() => Blazor.pauseCircuit()")).Should().BeTrue();

        // Elsewhere, through the API as an app would: the password changes, and the security stamp with it. The browser's
        // own session stays open, and its cookie is younger than the cookie's one-minute stamp check.
        using (var api = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) })
        {
            var login = await api.PostAsJsonAsync("/api/auth/login", new { email, password });
            login.EnsureSuccessStatusCode();
            var token = (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("accessToken").GetString();
            api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            (await api.PostAsJsonAsync("/api/auth/manage/info", new { oldPassword = password, newPassword = "Changed!Passw0rd" })).EnsureSuccessStatusCode();
        }

        // Resumed, the circuit checks the stamp before its first render (not at the 30-second revalidation): the tab goes
        // to the sign-in page. Not awaited in the page: the promise ends with the page it navigates away from.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await page.EvaluateAsync("() => { Blazor.resumeCircuit(); }");
        await Expect(page).ToHaveURLAsync(new Regex("/Account/Login"), new() { Timeout = 10_000 });
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "the resume, not the 30-second revalidation, ended the tab (measured {0:0} ms; it was on {1})",
            clock.Elapsed.TotalMilliseconds, organizationPage);
    }
}

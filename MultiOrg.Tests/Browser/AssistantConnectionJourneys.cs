using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Browser;

/// <summary>
/// An assistant connected the way a person connects one: the MCP SDK's client (with its OAuth support) against the real
/// server, and the person's sign-in and consent in Chromium; then the connection on Your account and on the organization's
/// API keys page, and its revocation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AssistantConnectionJourneys(BrowserFixture fixture)
{
    [Fact]
    public async Task A_person_allows_an_assistant_on_the_consent_page_sees_it_connected_and_revokes_it()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("adam.admin@demo.multiorg.test");
        // Where sign-in lands depends on the organization Adam used last (other journeys switch him): name it instead.
        var organizationId = await OrganizationIdAsync("adam.admin@demo.multiorg.test", "Side Project LLC");
        await page.GotoAsync($"/organizations/{organizationId}/organizations");
        await Expect(page.Locator("[data-testid='assistant-how-to']")).ToContainTextAsync("connector settings");
        await Expect(page.Locator("[data-testid='assistant-how-to']")).ToContainTextAsync("API keys remain for scripts");

        // Nothing listens on the assistant's loopback address: the browser's arrival there is the answer the assistant reads.
        var answered = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(AssistantOAuth.RedirectUri.GetLeftPart(UriPartial.Authority) + "/**", async route =>
        {
            answered.TrySetResult(new Uri(route.Request.Url));
            await route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/html", Body = "<p>You can close this tab.</p>" });
        });
        var oauth = new AssistantOAuth
        {
            ClientName = "Journey assistant",
            Consent = async authorization =>
            {
                await page.GotoAsync(authorization.AbsoluteUri);
                await Expect(page.Locator("[data-testid='consent-client']")).ToHaveTextAsync("Journey assistant");
                await Expect(page.Locator("[data-testid='consent-organization']")).ToHaveTextAsync("Side Project LLC");
                await Expect(page.Locator("[data-testid='consent-role']")).ToHaveTextAsync("OWNER");
                await Expect(page.Locator("[data-testid='consent-redirect']")).ToHaveTextAsync("http://127.0.0.1:53682");
                await page.Locator("label", new() { HasText = "Acme Corp" }).ClickAsync();
                await page.ScreenshotAsync("assistant-consent");
                await page.Locator("[data-testid='consent-allow']").ClickAsync();
                return await answered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            },
        };
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        await using var client = await oauth.ConnectAsync(http, new Uri(http.BaseAddress, $"/mcp/{organizationId}"));

        var me = await AssistantOAuth.CallAsync(client, "who_am_i");
        var members = await AssistantOAuth.CallAsync(client, "list_members");
        me.GetProperty("organization").GetProperty("name").GetString().Should().Be("Side Project LLC");
        members.GetProperty("items").GetArrayLength().Should().BeGreaterThan(0);

        await page.GotoAsync($"/organizations/{organizationId}/api-keys");
        await Expect(page.Locator("[data-testid='org-assistant-name']")).ToHaveTextAsync(["Journey assistant"]);
        await page.ScreenshotAsync("assistant-organization-list");

        await page.GotoAsync("/Account/Manage/Assistants");
        await Expect(page.Locator("[data-testid='assistant-name']")).ToHaveTextAsync(["Journey assistant"]);
        await Expect(page.Locator("[data-testid='assistant-organizations']")).ToHaveTextAsync(["Acme Corp, Side Project LLC"]);
        await page.ScreenshotAsync("assistant-connected");
        await page.Locator("[data-testid='revoke-assistant']").ClickAsync();
        await page.Locator("[data-testid='confirm-revoke-assistant']").ClickAsync();
        await Expect(page.Locator("[data-testid='assistants-empty']")).ToBeVisibleAsync();
        await Expect(page.Locator("body")).ToContainTextAsync(new Regex("disconnected"));

        oauth.Consent = _ => Task.FromResult<Uri?>(null);
        (await AssistantOAuth.ErrorOfAsync(client, "who_am_i")).Should().NotBeEmpty("the revoked connection reaches nothing");
    }

    private async Task<Guid> OrganizationIdAsync(string email, string name)
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        var login = await http.PostAsJsonAsync("/api/auth/login", new { email, password = Journey.DemoPassword });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var organizations = await http.GetFromJsonAsync<JsonElement>("/api/organizations");
        return organizations.EnumerateArray().Single(o => o.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();
    }
}

using System.Net.Http.Headers;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ScimJourneys(BrowserFixture fixture)
{
    [Fact]
    public async Task An_owner_creates_a_scim_token_sees_it_once_the_directory_uses_it_and_the_owner_revokes_it()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("olivia.owner@demo.multiorg.test");
        var organizationId = page.OrganizationIdFromUrl();
        await page.GotoAsync($"/organizations/{organizationId}/settings/security");
        await page.WaitForCircuitAsync();
        var section = page.Locator("[data-testid='scim-section']");
        await Expect(section.Locator("[data-testid='scim-empty']")).ToBeVisibleAsync();
        var baseUrl = await page.Locator("input[data-testid='scim-base-url']").InputValueAsync();
        baseUrl.Should().Be($"{fixture.Server.BaseUrl.TrimEnd('/')}/scim/v2/{organizationId}");

        await page.Locator("[data-testid='create-scim-token']").ClickAsync();
        await page.Locator("input[data-testid='scim-token-name-input']").FillAsync("Entra ID");
        await page.Locator("[data-testid='scim-token-create-submit']").ClickAsync();
        var secret = await page.Locator("input[data-testid='new-scim-token-secret']").InputValueAsync();
        secret.Should().MatchRegex("^moscim_[0-9a-f]{12}_");
        await page.ScreenshotAsync("scim-token-created");
        await page.Locator("[data-testid='scim-token-done']").ClickAsync();
        await Expect(page.Locator("[data-testid='scim-token-status']")).ToHaveTextAsync(["Active"]);
        (await page.ContentAsync()).Should().NotContain(secret[20..], "the token is shown once, in the dialog only");
        await section.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "scim-tokens.png") });

        using var directory = new HttpClient();
        directory.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var users = await directory.GetAsync($"{baseUrl}/Users?count=1");
        users.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, await users.Content.ReadAsStringAsync());
        users.Content.Headers.ContentType!.MediaType.Should().Be("application/scim+json");

        await page.Locator("[data-testid='revoke-scim-token']").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(page.Locator("[data-testid='scim-token-status']")).ToHaveTextAsync(["Revoked"]);
        (await directory.GetAsync($"{baseUrl}/Users")).StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized);
    }
}

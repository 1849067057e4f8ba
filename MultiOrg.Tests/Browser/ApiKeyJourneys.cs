using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ApiKeyJourneys(BrowserFixture fixture)
{
    [Fact]
    public async Task An_owner_creates_a_key_sees_it_once_uses_it_and_revokes_it()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("adam.admin@demo.multiorg.test");
        var organizationId = page.OrganizationIdFromUrl();
        await page.Locator("a[href$='/api-keys']").First.ClickAsync();
        await Expect(page.Locator("[data-testid='keys-empty']")).ToBeVisibleAsync();

        await page.Locator("[data-testid='create-key']").ClickAsync();
        await page.Locator("input[data-testid='key-name-input']").FillAsync("Payroll sync");
        await page.Locator("[data-testid='key-create-submit']").ClickAsync();
        var secret = await page.Locator("input[data-testid='new-key-secret']").InputValueAsync();
        secret.Should().MatchRegex("^mo_[0-9a-f]{12}_");
        await page.ScreenshotAsync("api-key-created");
        await page.Locator("[data-testid='key-done']").ClickAsync();
        await Expect(page.Locator("[data-testid='key-status']")).ToHaveTextAsync(["Active"]);
        (await page.ContentAsync()).Should().NotContain(secret[16..], "the key is shown once, in the dialog only");

        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-Api-Key", secret);
        (await http.GetAsync($"/api/organizations/{organizationId}")).IsSuccessStatusCode.Should().BeTrue();

        await page.Locator("[data-testid='revoke-key']").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(page.Locator("[data-testid='key-status']")).ToHaveTextAsync(["Revoked"]);
        (await http.GetAsync($"/api/organizations/{organizationId}")).StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_api_reference_opens_from_the_user_menu()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("sam.solo@demo.multiorg.test");

        await page.Locator("[data-testid='user-menu-button']").ClickAsync();
        await page.Locator("[data-testid='api-reference-link']").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/api-reference/?$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "MultiOrg API" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByText("API keys", new() { Exact = true }).First).ToBeAttachedAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, "api-reference.png") });
    }
}

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
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
        await page.CheckDialogAsync("with the new key shown");
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

    /// <summary>A person registered over the API (address confirmed through the mailed link), with a bearer-token client on the browser fixture's server.</summary>
    private async Task<(string Email, HttpClient Api)> PersonAsync(string name)
    {
        var email = $"{name}.{Guid.NewGuid():N}@example.test";
        var api = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        (await api.PostAsJsonAsync("/api/auth/register", new { email, password = Journey.DemoPassword })).EnsureSuccessStatusCode();
        (await api.GetAsync(fixture.Server.Mailbox.LinkTo(email, "/api/auth/confirmEmail"))).EnsureSuccessStatusCode();
        var login = await api.PostAsJsonAsync("/api/auth/login", new { email, password = Journey.DemoPassword });
        login.EnsureSuccessStatusCode();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        return (email, api);
    }

    [Fact]
    public async Task The_key_list_shows_the_role_a_key_acts_with_and_why_a_key_stopped()
    {
        var (ownerEmail, owner) = await PersonAsync("kim");
        var (demotedEmail, demoted) = await PersonAsync("lee");
        var (lockedEmail, locked) = await PersonAsync("max");
        using (owner)
        using (demoted)
        using (locked)
        {
            var organization = (await (await owner.PostAsJsonAsync("/api/organizations", new { name = "Key standing" })).Content.ReadFromJsonAsync<JsonElement>())
                .GetProperty("id").GetGuid();
            foreach (var (email, person, name) in new[] { (demotedEmail, demoted, "Lee's sync"), (lockedEmail, locked, "Max's export") })
            {
                (await owner.PostAsJsonAsync($"/api/organizations/{organization}/members", new { email, role = "ADMIN" })).EnsureSuccessStatusCode();
                (await person.PostAsJsonAsync($"/api/organizations/{organization}/api-keys", new { name, role = "ADMIN" })).EnsureSuccessStatusCode();
            }

            var demotedId = (await demoted.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("user").GetProperty("id").GetString();
            (await owner.PatchAsJsonAsync($"/api/organizations/{organization}/members/{demotedId}", new { role = "MEMBER" })).EnsureSuccessStatusCode();
            using var anonymous = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
            for (var attempt = 0; attempt < 5; attempt++)
            {
                await anonymous.PostAsJsonAsync("/api/auth/login", new { email = lockedEmail, password = "Wrong!Passw0rd" });
            }

            var page = await fixture.NewPageAsync();
            await page.SignInAsync(ownerEmail);
            await page.GotoAsync($"/organizations/{organization}/api-keys");
            await page.WaitForCircuitAsync();

            var lee = page.Locator("tr", new() { Has = page.GetByText("Lee's sync") });
            var max = page.Locator("tr", new() { Has = page.GetByText("Max's export") });
            await Expect(lee.GetByTestId("key-effective-role")).ToHaveTextAsync("acts as MEMBER");
            await Expect(lee.GetByTestId("key-status")).ToHaveTextAsync("Active");
            await Expect(max.GetByTestId("key-status")).ToHaveTextAsync("Stopped");
            await Expect(max.GetByTestId("key-explanation")).ToContainTextAsync("locked out");
            await page.ScreenshotAsync("api-key-standing");
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task An_admin_sees_no_revoke_button_on_an_owner_key_but_has_one_on_admin_keys()
    {
        var (_, owner) = await PersonAsync("ola");
        var (adminEmail, admin) = await PersonAsync("ada");
        using (owner)
        using (admin)
        {
            var organization = (await (await owner.PostAsJsonAsync("/api/organizations", new { name = "Owner keys" })).Content.ReadFromJsonAsync<JsonElement>())
                .GetProperty("id").GetGuid();
            (await owner.PostAsJsonAsync($"/api/organizations/{organization}/members", new { email = adminEmail, role = "ADMIN" })).EnsureSuccessStatusCode();
            (await owner.PostAsJsonAsync($"/api/organizations/{organization}/api-keys", new { name = "Owner's deploy", role = "OWNER" })).EnsureSuccessStatusCode();
            (await owner.PostAsJsonAsync($"/api/organizations/{organization}/api-keys", new { name = "Owner's report", role = "ADMIN" })).EnsureSuccessStatusCode();

            var page = await fixture.NewPageAsync();
            await page.SignInAsync(adminEmail);
            await page.GotoAsync($"/organizations/{organization}/api-keys");
            await page.WaitForCircuitAsync();

            var ownerKey = page.Locator("tr", new() { Has = page.GetByText("Owner's deploy") });
            var adminKey = page.Locator("tr", new() { Has = page.GetByText("Owner's report") });
            await Expect(adminKey.GetByTestId("revoke-key")).ToBeVisibleAsync();
            await Expect(ownerKey.GetByTestId("key-status")).ToHaveTextAsync("Active");
            await Expect(ownerKey.GetByTestId("revoke-key")).ToHaveCountAsync(0);
            await page.Context.CloseAsync();
        }
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

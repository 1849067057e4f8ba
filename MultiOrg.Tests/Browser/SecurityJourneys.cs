using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class SecurityJourneys(BrowserFixture fixture)
{
    private const string Password = "Secure!Passw0rd";

    /// <summary>A new person with their own new organization, on its Security page.</summary>
    private async Task<(IPage Page, Guid OrganizationId)> OwnerOnSecurityPageAsync(string prefix, bool dark = false)
    {
        var page = await fixture.NewPageAsync(dark);
        await page.RegisterAsync($"{prefix}.{Guid.NewGuid():N}@example.test", Password);
        await page.Locator("input[data-testid='org-name']").FillAsync($"{prefix} {Guid.NewGuid():N}"[..20]);
        await page.Locator("[data-testid='create-org']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/organizations/[0-9a-f-]{36}/dashboard$"));
        var organizationId = page.OrganizationIdFromUrl();
        await page.Locator("[data-testid='security-link']").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Security" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='security-save']")).ToBeVisibleAsync();
        return (page, organizationId);
    }

    [Fact]
    public async Task Requiring_two_factor_takes_the_owner_to_set_up_an_authenticator_and_back_into_the_organization()
    {
        var (page, organizationId) = await OwnerOnSecurityPageAsync("twofactor");
        await page.Locator("textarea[data-testid='ip-allow-list']").FillAsync("127.0.0.0/8\n10.0.0.300/8");
        await page.Locator("[data-testid='security-save']").ClickAsync();
        await Expect(page.GetByText("“10.0.0.300/8” is not an IP range")).ToBeVisibleAsync();

        await page.Locator("textarea[data-testid='ip-allow-list']").FillAsync("127.0.0.0/8\n::1/128");
        await page.GetByLabel("Require two-factor authentication").CheckAsync();
        await page.Locator("input[data-testid='idle-timeout']").FillAsync("30");
        await page.Locator("[data-testid='security-save']").ClickAsync();
        await Expect(page.GetByText("Security policies saved.")).ToBeVisibleAsync();
        await page.ScreenshotAsync("security-policies-light");

        // The next time the owner opens the organization, it asks for an authenticator first.
        await page.GotoAsync($"/organizations/{organizationId}/dashboard");
        await Expect(page).ToHaveURLAsync(new Regex("/Account/Manage/EnableAuthenticator\\?returnUrl="));
        await Expect(page.Locator("[data-testid='two-factor-required']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='authenticator-qr']")).ToBeVisibleAsync();
        await page.ScreenshotAsync("security-two-factor-setup");
        var key = await page.Locator("kbd").InnerTextAsync();
        await page.Locator("[name='Input.Code']").FillAsync(Totp.Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();

        await page.Locator("[data-testid='continue-to-organization']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/organizations/{organizationId}/dashboard$"));
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("[data-testid='no-access']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_encoded_tab_in_the_return_url_never_becomes_a_link_off_site_on_the_authenticator_page()
    {
        var page = await fixture.NewPageAsync();
        await page.RegisterAsync($"returnurl.{Guid.NewGuid():N}@example.test", Password);

        await page.GotoAsync("/Account/Manage/EnableAuthenticator?returnUrl=/%09/evil.example");
        var key = await page.Locator("kbd").InnerTextAsync();
        await page.Locator("[name='Input.Code']").FillAsync(Totp.Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Expect(page.GetByText("Your authenticator app has been verified.")).ToBeVisibleAsync();

        // Where Chromium would take each link: the tab-carrying return URL must not resolve to http://evil.example/.
        var links = await page.Locator("a").EvaluateAllAsync<string[]>("links => links.map(a => a.href)");
        links.Should().NotContain(link => new Uri(link).Host == "evil.example", string.Join(", ", links));
        await Expect(page.Locator("[data-testid='two-factor-required']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_allow_list_without_the_owners_address_asks_first_and_then_turns_the_owner_away_with_a_403_page()
    {
        var (page, organizationId) = await OwnerOnSecurityPageAsync("allowlist", dark: true);
        await page.ScreenshotAsync("security-policies-dark");
        await page.Locator("textarea[data-testid='ip-allow-list']").FillAsync("192.0.2.0/24");
        await page.Locator("[data-testid='security-save']").ClickAsync();
        await Expect(page.GetByText("is not on this list")).ToBeVisibleAsync();
        await page.ScreenshotAsync("security-lockout-confirmation-dark");

        // The consequence is named and the button that causes it reads as danger, not as the usual primary action.
        var dialog = page.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("You lose access to");
        var lockOut = dialog.GetByRole(AriaRole.Button, new() { Name = "Save and lock me out" });
        await Expect(lockOut).ToHaveClassAsync(new Regex("mud-button-filled-error"));
        await lockOut.ClickAsync();
        await Expect(page.GetByText("Security policies saved.")).ToBeVisibleAsync();

        var response = await page.GotoAsync($"/organizations/{organizationId}/dashboard");
        response!.Status.Should().Be(403);
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("[data-testid='no-access-reason']")).ToContainTextAsync("127.0.0.1");
        await page.ScreenshotAsync("security-address-refused-dark");
    }

    [Fact]
    public async Task A_tab_idle_past_the_organizations_timeout_leaves_it_and_says_why()
    {
        var (page, organizationId) = await OwnerOnSecurityPageAsync("idle");
        await page.Locator("input[data-testid='idle-timeout']").FillAsync("1");
        await page.Locator("[data-testid='security-save']").ClickAsync();
        await Expect(page.GetByText("Security policies saved.")).ToBeVisibleAsync();
        await page.GotoAsync($"/organizations/{organizationId}/dashboard");
        await page.WaitForCircuitAsync();

        // No click, key or navigation for a minute: the tab leaves the organization by itself.
        await Expect(page).ToHaveURLAsync(new Regex("/left-organization"), new() { Timeout = 90_000 });
        await Expect(page.Locator("[data-testid='left-reason']")).ToContainTextAsync("after 1 minute without activity");
        await Expect(page.Locator(".mo-nav-caption")).ToHaveCountAsync(0);
        await page.ScreenshotAsync("security-idle-left");

        await page.Locator("[data-testid='reenter']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/organizations/{organizationId}/dashboard$"));
    }

    [Fact]
    public async Task Stricter_password_rules_send_the_owner_to_change_their_password_before_coming_back_in()
    {
        var (page, organizationId) = await OwnerOnSecurityPageAsync("password");
        var organizationName = await page.Locator(".mo-nav-caption").InnerTextAsync();
        await page.Locator("input[data-testid='password-min-length']").FillAsync("16");
        await page.GetByLabel("A symbol").CheckAsync();
        await page.Locator("[data-testid='security-save']").ClickAsync();
        await Expect(page.GetByText("Security policies saved.")).ToBeVisibleAsync();

        await page.GotoAsync($"/organizations/{organizationId}/dashboard");
        await Expect(page).ToHaveURLAsync(new Regex("/Account/Manage/ChangePassword\\?returnUrl="));
        await Expect(page.Locator("[data-testid='password-change-required']")).ToBeVisibleAsync();
        await ChangePasswordAsync(page, "Short!Pass1");
        await Expect(page.GetByText($"Passwords must be at least 16 characters ({organizationName})")).ToBeVisibleAsync();
        await page.ScreenshotAsync("security-password-change");

        await ChangePasswordAsync(page, "A-long-enough-passphrase-42!");
        await Expect(page).ToHaveURLAsync(new Regex($"/organizations/{organizationId}/dashboard$"));
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("[data-testid='no-access']")).ToHaveCountAsync(0);
    }

    private static async Task ChangePasswordAsync(IPage page, string newPassword)
    {
        await page.Locator("[name='Input.OldPassword']").FillAsync(Password);
        await page.Locator("[name='Input.NewPassword']").FillAsync(newPassword);
        await page.Locator("[name='Input.ConfirmPassword']").FillAsync(newPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Update password" }).ClickAsync();
    }
}

using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MultiOrg.Tests.Harness;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>
/// The shell as people move through it (#25): a switch keeps the page, an organization's two-factor rule holds whichever
/// way one enters it, the role badge follows a role change, and the first paint of a page is already the app.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ShellWorkflowJourneys(BrowserFixture fixture)
{
    private const string Password = "Shell!Passw0rd";

    [Fact]
    public async Task Switching_to_an_organization_that_requires_two_factor_leads_to_authenticator_setup_and_then_into_it()
    {
        var page = await fixture.NewPageAsync();
        await page.RegisterAsync($"switch2fa.{Guid.NewGuid():N}@example.test", Password);
        var plain = await CreateOrganizationAsync(page, "Plain");
        await page.Locator($"a[href='/organizations/new']").First.ClickAsync();
        var strict = await CreateOrganizationAsync(page, "Strict");
        await page.Locator("[data-testid='security-link']").ClickAsync();
        await page.GetByLabel("Require two-factor authentication").CheckAsync();
        await page.Locator("[data-testid='security-save']").ClickAsync();
        await Expect(page.GetByText("Security policies saved.")).ToBeVisibleAsync();

        await SwitchToAsync(page, plain.Name);
        await Expect(page.Locator("[data-testid='org-switcher-button']")).ToContainTextAsync(plain.Name);
        await Expect(page).ToHaveURLAsync(new Regex($"/organizations/{plain.Id}/settings/security$"));
        await page.Locator("a[href$='/members']").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/organizations/{plain.Id}/members$"));

        // The switcher is one more way in: the same rule as a deep link, so the same way to meet it.
        await SwitchToAsync(page, strict.Name);
        await Expect(page).ToHaveURLAsync(new Regex("/Account/Manage/EnableAuthenticator\\?returnUrl="));
        await Expect(page.Locator("[data-testid='two-factor-required']")).ToBeVisibleAsync();
        await page.ScreenshotAsync("switch-two-factor-setup");
        var key = await page.Locator("kbd").InnerTextAsync();
        await page.Locator("[name='Input.Code']").FillAsync(Totp.Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();

        await page.Locator("[data-testid='continue-to-organization']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/organizations/{strict.Id}/members$"));
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("[data-testid='no-access']")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Members", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='org-switcher-button']")).ToContainTextAsync(strict.Name);
    }

    [Fact]
    public async Task Switching_organization_stays_on_the_same_page_where_the_person_may_open_it_and_else_opens_the_dashboard()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("paula.partner@demo.multiorg.test");
        await SwitchToAsync(page, "Brightside Accounting");
        await Expect(page.Locator("[data-testid='org-switcher-button']")).ToContainTextAsync("Brightside Accounting");

        // A client is no partner: there is no partner dashboard to stay on.
        await page.Locator("[data-testid='partner-dashboard-link']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/partner$"));
        await SwitchToAsync(page, "Greenfield Bakery");
        await Expect(page).ToHaveURLAsync(new Regex("/organizations/[0-9a-f-]{36}/dashboard$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Greenfield Bakery" })).ToBeVisibleAsync();

        // Partner staff go from one client's Members page to the next one's.
        await page.Locator("a[href$='/members']").First.ClickAsync();
        await Expect(page.GetByText("Greenfield Bakery ·")).ToBeVisibleAsync();
        await SwitchToAsync(page, "Hofmann Maschinenbau GmbH");
        await Expect(page).ToHaveURLAsync(new Regex("/organizations/[0-9a-f-]{36}/members$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Members", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByText("Hofmann Maschinenbau GmbH ·")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='switch-announcement']")).ToHaveTextAsync("Switched to Hofmann Maschinenbau GmbH");
        await page.ScreenshotAsync("switch-stays-on-members");

        // Back to the partner (where other journeys expect Paula to start), still on Members.
        await SwitchToAsync(page, "Brightside Accounting");
        await Expect(page.GetByText("Brightside Accounting ·")).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/organizations/[0-9a-f-]{36}/members$"));
    }

    [Fact]
    public async Task The_role_badge_follows_a_role_change_that_reaches_the_tab()
    {
        var colleague = await fixture.NewPageAsync();
        var email = $"badge.{Guid.NewGuid():N}@example.test";
        await colleague.RegisterAsync(email, Password);
        await colleague.GotoAsync(await fixture.Server.Mailbox.WaitForLinkToAsync(email, "/Account/ConfirmEmail"));
        await Expect(colleague.GetByText("Thank you for confirming your email.")).ToBeVisibleAsync();

        var owner = await fixture.NewPageAsync();
        await owner.RegisterAsync($"badge.owner.{Guid.NewGuid():N}@example.test", Password);
        var organization = await CreateOrganizationAsync(owner, "Badge");
        await owner.Locator("a[href$='/members']").First.ClickAsync();
        await owner.Locator("[data-testid='add-member']").ClickAsync();
        await owner.Locator("input[data-testid='add-member-email']").FillAsync(email);
        await owner.Locator("[data-testid='add-member-submit']").ClickAsync();
        await Expect(owner.GetByText("was added as MEMBER")).ToBeVisibleAsync();

        await colleague.GotoAsync($"/organizations/{organization.Id}/dashboard");
        await colleague.WaitForCircuitAsync();
        await Expect(colleague.Locator("[data-testid='dashboard-role']")).ToHaveTextAsync("You are MEMBER");

        var row = owner.Locator("tr", new() { Has = owner.GetByText(email, new() { Exact = true }) });
        await row.Locator("[data-testid='member-role-select']").ClickAsync();
        await owner.GetByRole(AriaRole.Option, new() { Name = "ADMIN" }).ClickAsync();
        await Expect(owner.GetByText("is now ADMIN")).ToBeVisibleAsync();

        // The change reaches the colleague's tab as an event: the navigation grows and the badge says the new role.
        await Expect(colleague.Locator("a[href$='/audit']")).ToBeVisibleAsync();
        await Expect(colleague.Locator("[data-testid='dashboard-role']")).ToHaveTextAsync("You are ADMIN");
    }

    [Fact]
    public async Task The_first_paint_of_a_page_is_the_real_shell_before_the_circuit_connects()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("mia.member@demo.multiorg.test");
        var organizationId = page.OrganizationIdFromUrl();
        var name = await page.Locator(".mo-nav-caption").InnerTextAsync();

        // Without the Blazor script the circuit never connects: what shows is exactly what the server prerendered.
        await page.RouteAsync(new Regex("/_framework/blazor\\.web\\.[^/]*js$"), route => route.AbortAsync());
        await page.GotoAsync($"/organizations/{organizationId}/members");
        await Expect(page.Locator("[data-circuit='static']")).ToHaveCountAsync(1);

        var header = page.Locator("header.mud-appbar");
        await Expect(header.Locator("[data-testid='org-switcher-button']")).ToContainTextAsync(name, new() { IgnoreCase = true });
        await Expect(header.Locator("[data-testid='theme-toggle']")).ToBeVisibleAsync();
        await Expect(header.Locator("[data-testid='user-menu-button']")).ToBeVisibleAsync();
        await Expect(header).Not.ToContainTextAsync("Back to MultiOrg");
        await Expect(header).Not.ToContainTextAsync("Sign out");
        await Expect(page.Locator(".mo-drawer a[href$='/members']")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Members", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-circuit='static']")).ToHaveCountAsync(1);
        await page.ScreenshotAsync("first-paint-members");

        // The account pages stay static, with their plain links and form that work without a circuit.
        await page.GotoAsync("/Account/Manage");
        await Expect(header).ToContainTextAsync("Back to MultiOrg");
        await Expect(header.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    private static async Task<(Guid Id, string Name)> CreateOrganizationAsync(IPage page, string prefix)
    {
        var name = $"{prefix} {Guid.NewGuid():N}"[..(prefix.Length + 9)];
        await page.Locator("input[data-testid='org-name']").FillAsync(name);
        await page.Locator("[data-testid='create-org']").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();
        return (page.OrganizationIdFromUrl(), name);
    }

    private static async Task SwitchToAsync(IPage page, string organizationName)
    {
        await page.Locator("[data-testid='org-switcher-button']").ClickAsync();
        await page.Locator("[data-testid='org-switcher-item']", new() { HasText = organizationName }).ClickAsync();
    }
}

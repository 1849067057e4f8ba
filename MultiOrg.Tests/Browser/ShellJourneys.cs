using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>The admin shell in real Chromium against the real app (demo data seeded into a fresh SQLite file).</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class ShellJourneys(BrowserFixture fixture)
{
    [Fact]
    public async Task A_new_person_registers_lands_on_create_and_sees_the_new_organizations_dashboard()
    {
        var page = await fixture.NewPageAsync();
        var email = $"new.{Guid.NewGuid():N}@example.test";

        await page.RegisterAsync(email, "Fresh!Passw0rd");

        await Expect(page).ToHaveURLAsync(new Regex("/organizations/new$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome to MultiOrg" })).ToBeVisibleAsync();
        await page.Locator("input[data-testid='org-name']").FillAsync("Northwind Traders");
        await page.Locator("[data-testid='create-org']").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/organizations/[0-9a-f-]{36}/dashboard$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Northwind Traders" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='dashboard-role']")).ToContainTextAsync("OWNER");
        await Expect(page.Locator("[data-testid='stat-members-value']")).ToHaveTextAsync("1");
        await Expect(page.Locator("[data-testid='org-switcher-single']")).ToContainTextAsync("Northwind Traders");
        await page.ScreenshotAsync("journey-register-create");
    }

    [Fact]
    public async Task An_owner_adds_a_second_person_and_promotes_them()
    {
        var newcomer = await fixture.NewPageAsync();
        var email = $"colleague.{Guid.NewGuid():N}@example.test";
        await newcomer.RegisterAsync(email, "Colleague!Passw0rd");

        // Adding someone at once needs a confirmed address: the newcomer follows the link from the pickup folder.
        await newcomer.GotoAsync(await fixture.Server.Mailbox.WaitForLinkToAsync(email, "/Account/ConfirmEmail"));
        await Expect(newcomer.GetByText("Thank you for confirming your email.")).ToBeVisibleAsync();

        var page = await fixture.NewPageAsync();
        await page.SignInAsync("olivia.owner@demo.multiorg.test");
        await page.Locator("a[href$='/members']").First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Members", Exact = true })).ToBeVisibleAsync();

        await page.Locator("[data-testid='add-member']").ClickAsync();
        await page.Locator("input[data-testid='add-member-email']").FillAsync(email);
        await page.Locator("[data-testid='add-member-submit']").ClickAsync();
        await Expect(page.GetByText($"was added as MEMBER")).ToBeVisibleAsync();

        var row = page.Locator("tr", new() { Has = page.GetByText(email, new() { Exact = true }) });
        await Expect(row).ToBeVisibleAsync();
        await row.Locator("[data-testid='member-role-select']").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "ADMIN" }).ClickAsync();

        await Expect(page.GetByText("is now ADMIN")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("tr", new() { Has = page.GetByText(email, new() { Exact = true }) })
            .Locator("[data-testid='member-role-select']")).ToHaveTextAsync("ADMIN");
        await page.ScreenshotAsync("journey-add-and-promote");
    }

    [Fact]
    public async Task After_a_switch_everything_visible_belongs_to_the_new_organization()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("mia.member@demo.multiorg.test");
        await page.GotoAsync($"/organizations/{await fixture.OrganizationIdAsync("Acme Corp")}/dashboard");
        await page.WaitForCircuitAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Acme Corp" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='stat-members-value']")).ToHaveTextAsync("3");
        await Expect(page.Locator("[data-testid='note']")).ToContainTextAsync(["Quarter-end close"]);

        await page.Locator("[data-testid='org-switcher-button']").ClickAsync();
        var items = page.Locator("[data-testid='org-switcher-item']");
        await Expect(items).ToHaveCountAsync(2);
        await Expect(items.Nth(0)).ToContainTextAsync("Acme Corp");
        await Expect(items.Nth(0).Locator("[data-testid='org-switcher-check']")).ToBeVisibleAsync();
        await items.Nth(1).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/organizations/[0-9a-f-]{36}/dashboard$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Smith Family" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='stat-members-value']")).ToHaveTextAsync("2");
        await Expect(page.Locator("[data-testid='dashboard-role']")).ToContainTextAsync("ADMIN");
        await Expect(page.Locator("[data-testid='note']")).ToHaveTextAsync(["Household budget review every first Sunday."]);
        await Expect(page.Locator("[data-testid='org-switcher-button']")).ToContainTextAsync("Smith Family");
        await Expect(page.Locator("[data-testid='switch-announcement']")).ToHaveTextAsync("Switched to Smith Family");
        var dashboardText = await page.VisibleTextAsync();
        dashboardText.Should().NotContain("Acme Corp").And.NotContain("Quarter-end");

        await page.Locator("a[href$='/members']").First.ClickAsync();
        await Expect(page.Locator("[data-testid='member-name']")).ToHaveCountAsync(2);
        var membersText = await page.VisibleTextAsync();
        membersText.Should().Contain("olivia.owner@demo.multiorg.test").And.Contain("mia.member@demo.multiorg.test");
        membersText.Should().NotContain("adam.admin@demo.multiorg.test").And.NotContain("Acme Corp");
        await page.ScreenshotAsync("journey-switch");
    }

    [Fact]
    public async Task A_non_members_deep_link_shows_the_403_page_with_a_way_back()
    {
        var owner = await fixture.NewPageAsync();
        await owner.SignInAsync("olivia.owner@demo.multiorg.test");
        var acme = owner.OrganizationIdFromUrl();

        var page = await fixture.NewPageAsync();
        await page.SignInAsync("sam.solo@demo.multiorg.test");
        await Expect(page.Locator("[data-testid='org-switcher-single']")).ToContainTextAsync("Solo Studio");
        await Expect(page.Locator("[data-testid='org-switcher-button']")).ToHaveCountAsync(0);

        await page.GotoAsync($"/organizations/{acme}/members");
        await page.WaitForCircuitAsync();

        await Expect(page.GetByText("You don't have access to this organization")).ToBeVisibleAsync();
        (await page.VisibleTextAsync()).Should().NotContain("Acme Corp").And.NotContain("olivia.owner");
        await page.ScreenshotAsync("journey-no-access");
        await page.Locator("[data-testid='back-to-current']").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Solo Studio" })).ToBeVisibleAsync();
    }
}

using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>Registering: the name people see, and what confirming an address at a verified domain does.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RegistrationJourneys(BrowserFixture fixture)
{
    private static async Task FillAsync(IPage page, string name, string email)
    {
        await page.GotoAsync("/Account/Register");
        await page.Locator("[name='Input.Name']").FillAsync(name);
        await page.Locator("[name='Input.Email']").FillAsync(email);
        await page.Locator("[name='Input.Password']").FillAsync("Named!Passw0rd");
        await page.Locator("[name='Input.ConfirmPassword']").FillAsync("Named!Passw0rd");
    }

    [Fact]
    public async Task Registration_asks_for_a_name_and_the_app_shows_it()
    {
        var page = await fixture.NewPageAsync();
        var email = $"rita.{Guid.NewGuid():N}@example.test";

        await FillAsync(page, "  ", email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Your name is required.").First).ToBeVisibleAsync();

        await FillAsync(page, "Rita\u202E Register", email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Your name must not contain control, text-direction or invisible characters (found U+202E).")).ToBeVisibleAsync();

        await FillAsync(page, "  Rita Register ", email);
        await page.ScreenshotAsync("registration-name");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/organizations/new$"));
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("[data-testid='user-menu-button']")).ToHaveTextAsync("RR");
        await page.Locator("[data-testid='user-menu-button']").ClickAsync();
        await Expect(page.GetByText("Rita Register", new() { Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_person_at_a_verified_domain_is_told_that_confirming_their_email_joins_them()
    {
        // Acme Corp verified demo.multiorg.test and asks for approval; the address is never confirmed here, so Acme's requests stay as they are.
        var page = await fixture.NewPageAsync();
        var email = $"newcomer.{Guid.NewGuid():N}@demo.multiorg.test";
        await FillAsync(page, "Nico Newcomer", email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/organizations/new$"));
        await page.WaitForCircuitAsync();

        await Expect(page.Locator("[data-testid='confirm-to-join-organization']")).ToHaveTextAsync(new Regex(
            @"^\s*Acme Corp takes people with an address at demo\.multiorg\.test:\s+confirm your email address and " +
            @"(you join it as MEMBER|your request to join goes to its owners and admins)\.\s*$"));
        await Expect(page.Locator("[data-testid='resend-confirmation']")).ToHaveAttributeAsync("href", "/Account/ResendEmailConfirmation");
    }
}

using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>Invitations in real Chromium: the mail is read from the app server's pickup folder, as a developer would.</summary>
[Collection(BrowserCollection.Name)]
public sealed class InvitationJourneys(BrowserFixture fixture)
{
    [Fact]
    public async Task An_owner_invites_a_new_person_who_registers_through_the_link_and_lands_with_the_invited_role()
    {
        // A fresh owner and organization, so the demo organizations other journeys count stay as they are.
        var email = $"invitee.{Guid.NewGuid():N}@example.test";
        var organization = $"Invite Journey {Guid.NewGuid():N}"[..24];
        var page = await fixture.NewPageAsync();
        await page.RegisterAsync($"inviter.{Guid.NewGuid():N}@example.test", "Inviter!Passw0rd");
        await page.Locator("input[data-testid='org-name']").FillAsync(organization);
        await page.Locator("[data-testid='create-org']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/organizations/[0-9a-f-]{36}/dashboard$"));
        await page.GotoAsync($"/organizations/{page.OrganizationIdFromUrl()}/members");
        await page.WaitForCircuitAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Members", Exact = true })).ToBeVisibleAsync();

        await page.Locator("[data-testid='invite-members']").ClickAsync();
        await page.Locator("[data-testid='invite-emails']").FillAsync(email);
        await page.Locator("[data-testid='invite-role']").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "ADMIN · also manages settings and members" }).ClickAsync();
        await page.ScreenshotAsync("invite-dialog-light");
        await page.Locator("[data-testid='invite-submit']").ClickAsync();

        await Expect(page.GetByText("1 invitation was sent.")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='invitation-email']", new() { HasText = email })).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(500); // the tab's underline slides over
        await page.ScreenshotAsync("invitations-light");

        var link = await fixture.Server.Mailbox.WaitForLinkToAsync(email);
        link.Should().StartWith($"{fixture.Server.BaseUrl}/Account/Invitation?token=");
        var mail = fixture.Server.Mailbox.To(email).Single();
        mail.Subject.Should().Contain("invited you to");

        var invitee = await fixture.NewPageAsync();
        await invitee.GotoAsync(link);
        await Expect(invitee.Locator("[data-testid='invitation-summary']")).ToContainTextAsync("as ADMIN");
        await Expect(invitee.Locator("[data-testid='invitation-email']")).ToHaveValueAsync(email);
        await invitee.Locator("[name='Input.Name']").FillAsync("Ivy Invitee");
        await invitee.Locator("[name='Input.Password']").FillAsync("Invited!Passw0rd");
        await invitee.Locator("[name='Input.ConfirmPassword']").FillAsync("Invited!Passw0rd");
        await invitee.ScreenshotAsync("invitation-register");
        await invitee.Locator("[data-testid='invitation-register']").ClickAsync();

        await invitee.WaitForURLAsync(new Regex("/organizations/[0-9a-f-]{36}/dashboard$"));
        await invitee.WaitForCircuitAsync();
        await Expect(invitee.Locator("[data-testid='dashboard-role']")).ToContainTextAsync("ADMIN");
        await Expect(invitee.Locator("[data-testid='org-switcher-single']")).ToContainTextAsync(organization);

        // The link worked once.
        var again = await fixture.NewPageAsync();
        await again.GotoAsync(link);
        await Expect(again.Locator("[data-testid='invitation-closed']")).ToContainTextAsync("already accepted");

        // And the person is on the member list with that role.
        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("tr", new() { Has = page.GetByText(email, new() { Exact = true }) }).Locator("[data-testid='member-role-select']")).ToHaveTextAsync("ADMIN");
        await Expect(page.Locator("[data-testid='member-name']")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task An_admin_sees_join_requests_invites_with_a_bad_address_and_previews_a_csv_in_dark_mode()
    {
        // Adam (ADMIN of Acme) keeps the system's dark scheme; the demo gave Acme a join request from Sam.
        var page = await fixture.NewPageAsync(dark: true);
        await page.SignInAsync("adam.admin@demo.multiorg.test");
        await page.Locator("[data-testid='org-switcher-button']").ClickAsync();
        await page.Locator("[data-testid='org-switcher-item']", new() { HasText = "Acme Corp" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Acme Corp" })).ToBeVisibleAsync();
        var organizationId = page.OrganizationIdFromUrl();
        await page.GotoAsync($"/organizations/{organizationId}/members");
        await page.WaitForCircuitAsync();

        await page.GetByRole(AriaRole.Tab, new() { Name = "Join requests" }).ClickAsync();
        await Expect(page.Locator("[data-testid='join-request-name']", new() { HasText = "Sam Solo" })).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(500); // the tab's underline slides over
        await page.ScreenshotAsync("join-requests-dark");

        await page.Locator("[data-testid='invite-members']").ClickAsync();
        await page.Locator("[data-testid='invite-emails']").FillAsync($"dark.{Guid.NewGuid():N}@example.test, not-an-address");
        await page.WaitForTimeoutAsync(300); // the field's label finishes moving up
        await page.ScreenshotAsync("invite-dialog-admin-dark");
        await page.Locator("[data-testid='invite-submit']").ClickAsync();
        await Expect(page.Locator("[data-testid='invite-rows']")).ToContainTextAsync("Invalid email");
        await Expect(page.Locator("[data-testid='invite-rows']")).ToContainTextAsync("Invited");
        await page.ScreenshotAsync("invite-result-dark");
        await page.Locator("[data-testid='invite-done']").ClickAsync();

        await Expect(page.Locator("[data-testid='invitations-table']")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(500); // the tab's underline slides over
        await page.ScreenshotAsync("invitations-dark");

        await page.Locator("[data-testid='import-members']").ClickAsync();
        var file = new FilePayload
        {
            Name = "people.csv",
            MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes("email,role,name\nmia.member@demo.multiorg.test,MEMBER,\nnew.person@example.test,ADMIN,New Person\nbroken,MEMBER,\n"),
        };

        // The dialog's file input is wired up by Blazor's InputFile script just after it renders: a file set before
        // that is never seen, so a person (or this test) picks it again.
        var rows = page.Locator("[data-testid='invite-rows']");
        for (var attempt = 0; attempt < 3 && await rows.CountAsync() == 0; attempt++)
        {
            await page.Locator("[data-testid='import-dialog'] input[type='file']").SetInputFilesAsync(file);
            try
            {
                await rows.WaitForAsync(new LocatorWaitForOptions { Timeout = 5_000 });
            }
            catch (TimeoutException)
            {
                // Not picked up: try again.
            }
        }

        await Expect(page.Locator("[data-testid='invite-rows']")).ToContainTextAsync("Already a member");
        await page.ScreenshotAsync("import-preview-dark");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await page.GotoAsync($"/organizations/{organizationId}/settings");
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("[data-testid='join-policy']")).ToBeVisibleAsync();
        await page.ScreenshotAsync("join-policy-dark");
    }
}

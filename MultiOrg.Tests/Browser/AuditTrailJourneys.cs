using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MultiOrg.Data;
using MultiOrg.Domain.Tenancy;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>An owner's view of #22 points 5 and 6: a waiting shortening of audit retention, and names to rename.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AuditTrailJourneys(BrowserFixture fixture)
{
    private const string Password = "Secure!Passw0rd";

    private async Task<(IPage Page, Guid OrganizationId, string Email)> OwnerWithOrganizationAsync(string prefix)
    {
        var page = await fixture.NewPageAsync();
        var email = $"{prefix}.{Guid.NewGuid():N}@example.test";
        await page.RegisterAsync(email, Password);
        await page.Locator("input[data-testid='org-name']").FillAsync($"{prefix} {Guid.NewGuid():N}"[..20]);
        await page.Locator("[data-testid='create-org']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/organizations/[0-9a-f-]{36}/dashboard$"));
        return (page, page.OrganizationIdFromUrl(), email);
    }

    [Fact]
    public async Task The_security_page_shows_a_waiting_shorter_retention_with_its_date_and_an_owner_cancels_it()
    {
        var (page, organizationId, email) = await OwnerWithOrganizationAsync("retention");
        await page.GotoAsync($"/organizations/{organizationId}/settings/security");
        await page.WaitForCircuitAsync();

        await page.Locator("input[data-testid='retention-days']").FillAsync("400");
        await page.Locator("[data-testid='security-save']").ClickAsync();

        var pending = page.Locator("[data-testid='retention-pending']");
        await Expect(pending).ToContainTextAsync("400 days");
        var date = DateTime.UtcNow.AddDays(7).ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
        await Expect(page.Locator("[data-testid='retention-pending-date']")).ToContainTextAsync(date);
        fixture.Server.Mailbox.To(email).Should().Contain(m => (m.Subject ?? "").Contains("kept for 400 days"), "the owner is told by mail too");
        await page.ScreenshotAsync("security-retention-pending");

        await page.Locator("[data-testid='retention-cancel']").ClickAsync();
        await Expect(page.GetByText("The shorter audit retention was cancelled.")).ToBeVisibleAsync();
        await Expect(pending).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Settings_asks_the_owner_to_rename_names_that_break_the_name_rule()
    {
        var (page, organizationId, _) = await OwnerWithOrganizationAsync("names");
        var provider = new MultiOrgDbProvider(DatabaseProvider.Sqlite, $"Data Source={fixture.Server.DatabasePath};Pooling=False");
        await using (var db = provider.Create(TenantContext.ForJob(organizationId, "")))
        {
            // A row from before the name rule, written past the services.
            db.Set<MultiOrg.Domain.Teams.Team>().Add(new MultiOrg.Domain.Teams.Team { Name = "Ops\u202eNIMDA" });
            await db.SaveChangesAsync();
        }

        await page.GotoAsync($"/organizations/{organizationId}/settings");
        await page.WaitForCircuitAsync();

        await Expect(page.Locator("[data-testid='unsafe-name']")).ToHaveTextAsync("Team: Ops[U+202E]NIMDA");
        await page.ScreenshotAsync("settings-unsafe-names");
    }

    [Fact]
    public async Task Support_verifies_the_audit_chain_of_an_organization_deleted_in_the_app()
    {
        var (page, organizationId, _) = await OwnerWithOrganizationAsync("deleted");
        await page.GotoAsync($"/organizations/{organizationId}/settings");
        await page.WaitForCircuitAsync();
        var name = await page.Locator("input[data-testid='settings-name']").InputValueAsync();
        await page.Locator("[data-testid='delete-org']").ClickAsync();
        await page.Locator("input[data-testid='delete-confirm-name']").FillAsync(name);
        await page.Locator("[data-testid='delete-confirm']").ClickAsync();
        await Expect(page).Not.ToHaveURLAsync(new Regex($"/organizations/{organizationId}/"));

        var support = await fixture.NewPageAsync();
        await support.SignInAsync("sid.support@demo.multiorg.test");
        await support.GotoAsync("/support");
        await support.WaitForCircuitAsync();
        var row = support.Locator("[data-testid='deleted-organization']", new() { HasText = organizationId.ToString() });
        await Expect(row).ToContainTextAsync(name);
        await row.Locator("[data-testid='deleted-organization-verify']").ClickAsync();

        await Expect(row.Locator("[data-testid='deleted-organization-chain']")).ToContainTextAsync("Intact");
        await support.ScreenshotAsync("support-deleted-organizations");
    }
}

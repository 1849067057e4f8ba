using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>The members grid as a long list is used: filter by role, see which columns sort, dense rows, a named export.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MembersGridJourneys(BrowserFixture fixture)
{
    private async Task<IPage> AcmeMembersAsync()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("olivia.owner@demo.multiorg.test");
        await page.Locator("a[href$='/members']").First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Members", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='member-name']").First).ToBeVisibleAsync();
        return page;
    }

    [Fact]
    public async Task Every_sortable_header_shows_its_sort_arrow_without_hovering()
    {
        var page = await AcmeMembersAsync();
        await page.Mouse.MoveAsync(0, 0);

        foreach (var header in new[] { "Member", "Role", "Joined" })
        {
            var arrow = page.Locator("th", new() { Has = page.GetByText(header, new() { Exact = true }) }).Locator(".sort-direction-icon");
            await Expect(arrow).ToHaveCSSAsync("opacity", new Regex(@"^(0\.[3-9]\d*|1)$"), new() { Timeout = 10_000 });
        }
    }

    [Fact]
    public async Task An_owner_filters_the_members_by_role()
    {
        var page = await AcmeMembersAsync();

        await page.Locator("[data-testid='members-role-filter']").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "ADMIN", Exact = true }).ClickAsync();

        var roles = page.Locator("[data-testid='member-role-select']");
        await Expect(roles.And(page.Locator(":not([data-role='ADMIN'])"))).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid='member-email']", new() { HasText = "adam.admin@demo.multiorg.test" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='member-email']", new() { HasText = "olivia.owner@demo.multiorg.test" })).ToHaveCountAsync(0);
        (await roles.CountAsync()).Should().BeGreaterThan(0, "Acme has an ADMIN");
    }

    [Fact]
    public async Task Dense_rows_are_a_choice_the_browser_remembers()
    {
        var page = await AcmeMembersAsync();
        var grid = page.Locator("[data-testid='members-grid']");
        var comfortable = (await page.Locator("tbody tr").First.BoundingBoxAsync())!.Height;

        await page.Locator("[data-testid='members-dense']").ClickAsync();
        await Expect(grid).ToHaveAttributeAsync("data-dense", "true");
        var dense = (await page.Locator("tbody tr").First.BoundingBoxAsync())!.Height;
        dense.Should().BeLessThan(45, "a dense row is one line (comfortable: {0:N0} px)", comfortable);

        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Expect(grid).ToHaveAttributeAsync("data-dense", "true");
        await Expect(page.Locator("[data-testid='member-name']").First).ToBeVisibleAsync();
        (await page.Locator("tbody tr").First.BoundingBoxAsync())!.Height.Should().BeLessThan(45, "the choice outlives the page");

        await page.Locator("[data-testid='members-dense']").ClickAsync();
        await Expect(grid).ToHaveAttributeAsync("data-dense", "false");
    }

    [Fact]
    public async Task The_member_export_is_named_after_the_organization_and_the_day()
    {
        var page = await AcmeMembersAsync();
        var before = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid='export-members']").ClickAsync());

        var after = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        download.SuggestedFilename.Should().BeOneOf($"acme-corp-members-{before}.csv", $"acme-corp-members-{after}.csv");
    }
}

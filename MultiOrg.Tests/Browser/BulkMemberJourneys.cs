using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>Bulk actions and export on the members page, in a fresh organization so the demo data stays as other journeys expect.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BulkMemberJourneys(BrowserFixture fixture)
{
    private static async Task AddMemberAsync(IPage page, string email)
    {
        await page.Locator("[data-testid='add-member']").ClickAsync();
        await page.Locator("input[data-testid='add-member-email']").FillAsync(email);
        await page.Locator("[data-testid='add-member-submit']").ClickAsync();
        await Expect(page.Locator("tr", new() { Has = page.GetByText(email, new() { Exact = true }) })).ToBeVisibleAsync();
    }

    private static async Task SelectAsync(IPage page, params string[] emails)
    {
        foreach (var email in emails)
        {
            await page.GetByRole(AriaRole.Checkbox, new() { Name = $"Select {email}", Exact = true }).CheckAsync();
        }
    }

    [Fact]
    public async Task An_owner_selects_two_members_changes_their_role_exports_and_removes_them()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var first = $"bulk.first.{run}@example.test";
        var second = $"bulk.second.{run}@example.test";
        foreach (var email in new[] { first, second })
        {
            // Adding someone at once needs a confirmed address: each follows the link from the pickup folder.
            var person = await fixture.NewPageAsync();
            await person.RegisterAsync(email, "Bulk!Passw0rd");
            await person.GotoAsync(await fixture.Server.Mailbox.WaitForLinkToAsync(email, "/Account/ConfirmEmail"));
            await Expect(person.GetByText("Thank you for confirming your email.")).ToBeVisibleAsync();
        }

        var page = await fixture.NewPageAsync();
        await page.RegisterAsync($"bulk.owner.{run}@example.test", "Bulk!Passw0rd");
        await page.Locator("input[data-testid='org-name']").FillAsync("Bulk Traders");
        await page.Locator("[data-testid='create-org']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/dashboard$"));
        await page.Locator("a[href$='/members']").First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Members", Exact = true })).ToBeVisibleAsync();
        await AddMemberAsync(page, first);
        await AddMemberAsync(page, second);

        await SelectAsync(page, first, second);
        await Expect(page.Locator("[data-testid='bulk-count']")).ToHaveTextAsync("2 members selected");
        await page.ScreenshotAsync("members-bulk-selection-light");
        await page.Locator("[data-testid='bulk-change-role']").ClickAsync();
        await page.Locator("[data-testid='bulk-role-ADMIN']").ClickAsync();
        var dialog = page.Locator("[data-testid='bulk-confirm-dialog']");
        await Expect(dialog.Locator("[data-testid='bulk-confirm-message']")).ToHaveTextAsync(
            "2 members will become ADMIN: they use the organization's data and manage its settings and members.");
        await Expect(dialog.Locator("[data-testid='bulk-confirm-people']")).ToContainTextAsync(first);
        await Expect(dialog.Locator("[data-testid='bulk-confirm-people']")).ToContainTextAsync(second);
        await page.WaitForTimeoutAsync(400); // let the dialog finish fading in before the picture
        await page.ScreenshotAsync("members-bulk-confirm-light");
        await page.Locator("[data-testid='bulk-confirm']").ClickAsync();

        await Expect(page.Locator("[data-testid='bulk-result-summary']")).ToHaveTextAsync("2 members are now ADMIN.");
        await Expect(page.Locator("[data-testid='bulk-bar']")).ToHaveCountAsync(0);
        foreach (var email in new[] { first, second })
        {
            await Expect(page.Locator("tr", new() { Has = page.GetByText(email, new() { Exact = true }) }).Locator("[data-testid='member-role-select']"))
                .ToHaveTextAsync("ADMIN");
        }

        await page.Locator("input[data-testid='members-search']").FillAsync($"bulk.second.{run}");
        await Expect(page.Locator("[data-testid='member-name']")).ToHaveCountAsync(1);
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid='export-members']").ClickAsync());
        var csv = await File.ReadAllLinesAsync((await download.PathAsync())!);
        csv.Should().HaveCount(2, "the export holds the searched member only");
        csv[0].Should().Be("Email,Name,Role,Joined (UTC)");
        csv[1].Should().StartWith($"{second},{second},ADMIN,");
        await page.Locator("input[data-testid='members-search']").FillAsync("");
        await Expect(page.Locator("[data-testid='member-name']")).ToHaveCountAsync(3);

        var light = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        await page.Locator("[data-testid='theme-toggle']").ClickAsync();
        await page.WaitForFunctionAsync("light => getComputedStyle(document.body).backgroundColor !== light", light);
        await SelectAsync(page, first, second);
        await page.ScreenshotAsync("members-bulk-selection-dark");
        await page.Locator("[data-testid='bulk-remove']").ClickAsync();
        await Expect(dialog.Locator("[data-testid='bulk-confirm-message']")).ToHaveTextAsync(
            "2 members will lose access to Bulk Traders at once. An owner or admin must add them again to bring them back.");
        await page.WaitForTimeoutAsync(400);
        await page.ScreenshotAsync("members-bulk-confirm-dark");
        await page.Locator("[data-testid='bulk-confirm']").ClickAsync();

        await Expect(page.Locator("[data-testid='bulk-result-summary']")).ToHaveTextAsync("2 members removed.");
        await Expect(page.Locator("[data-testid='member-name']")).ToHaveCountAsync(1);
        await page.ScreenshotAsync("members-bulk-result-dark");
    }
}

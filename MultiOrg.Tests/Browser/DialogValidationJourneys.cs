using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>A dialog's form says what is missing after the person leaves a field or submits, never as it opens.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DialogValidationJourneys(BrowserFixture fixture)
{
    [Fact]
    public async Task Add_member_says_the_email_is_required_only_after_leaving_the_field_or_submitting()
    {
        var page = await fixture.NewPageAsync();
        await page.SignInAsync("olivia.owner@demo.multiorg.test");
        await page.Locator("a[href$='/members']").First.ClickAsync();
        await page.Locator("[data-testid='add-member']").ClickAsync();
        var dialog = page.Locator("[data-testid='add-member-dialog']");
        var email = page.Locator("input[data-testid='add-member-email']");

        // The field keeps the focus it opened with: nothing blurred it, so nothing was judged yet.
        await Expect(email).ToBeFocusedAsync();
        await Expect(dialog.GetByText("Email is required.")).ToHaveCountAsync(0);
        await page.WaitForTimeoutAsync(400); // let the dialog finish fading in before the picture
        await page.ScreenshotAsync("dialog-before-typing");

        await page.Locator("[data-testid='add-member-submit']").ClickAsync();
        await Expect(dialog.GetByText("Email is required.")).ToBeVisibleAsync();
        await email.FillAsync("not-an-address");
        await email.BlurAsync();
        await Expect(dialog.GetByText("Email is not a valid email address.")).ToBeVisibleAsync();
    }
}

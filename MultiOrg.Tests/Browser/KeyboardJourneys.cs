using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>
/// The shell with the keyboard only (#27 point 7): every step after the setup is a key press (Tab, Shift+Tab, Enter,
/// Escape, arrows, Home/End, typing), and each step asserts where focus is. The setup (a fresh owner with two
/// organizations and a colleague) uses the ordinary helpers, so the demo data stays as other journeys expect.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class KeyboardJourneys(BrowserFixture fixture)
{
    private const string Password = "Keys!Passw0rd";

    /// <summary>What has focus, as a screen reader would start to say it: test id, accessible name or text.</summary>
    private static Task<string> FocusedAsync(IPage page) => page.EvaluateAsync<string>(
        """
        () => {
            const a = document.activeElement;
            const id = a.closest('[data-testid]')?.dataset.testid ?? '';
            return `${a.tagName.toLowerCase()}#${a.id}[${id}] ${a.getAttribute('aria-label') ?? ''} | ${(a.innerText ?? '').trim().split('\n')[0]}`;
        }
        """);

    private static Task<bool> FocusIsAsync(IPage page, string selector) =>
        page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) === true", selector);

    /// <summary>Presses Tab (or Shift+Tab) until focus is on <paramref name="selector"/>; fails with the way focus went.</summary>
    private static async Task TabToAsync(IPage page, string selector, int most, bool backwards = false)
    {
        var path = new List<string>();
        for (var press = 0; press < most; press++)
        {
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            if (await FocusIsAsync(page, selector))
            {
                return;
            }

            path.Add(await FocusedAsync(page));
        }

        throw new Xunit.Sdk.XunitException($"{selector} not reached in {most} presses of {(backwards ? "Shift+Tab" : "Tab")}; focus went:\n{string.Join("\n", path)}");
    }

    /// <summary>Waits (the expectation timeout) for focus to be on <paramref name="selector"/>; fails naming the step and where focus is.</summary>
    private static async Task ExpectFocusAsync(IPage page, string selector, string step)
    {
        try
        {
            await page.WaitForFunctionAsync("s => document.activeElement?.matches(s) === true", selector, new() { Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"{step}: focus should be on {selector} but is on {await FocusedAsync(page)}");
        }
    }

    /// <summary>What is on the screen (a focus state is about the top of the page, not the whole of it).</summary>
    internal static Task ViewportShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotFolder, $"{name}.png") });

    [Fact]
    public async Task A_keyboard_user_signs_in_switches_changes_a_role_invites_uses_a_dialog_and_signs_out()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var colleague = $"keys.colleague.{run}@example.test";
        var owner = $"keys.owner.{run}@example.test";
        var (one, two) = ($"Keys One {run}", $"Keys Two {run}");
        await SetUpAsync(owner, colleague, one, two);

        // Sign in: the skip link is the first Tab stop of the sign-in page too, and leads into the form.
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.Keyboard.PressAsync("Tab");
        await ExpectFocusAsync(page, "[data-testid='skip-link']", "first Tab on the sign-in page");
        await page.Keyboard.PressAsync("Enter");
        await ExpectFocusAsync(page, "main#main-content", "skip link followed");
        await TabToAsync(page, "[name='Input.Email']", 3);
        await page.Keyboard.TypeAsync(owner);
        await page.Keyboard.PressAsync("Tab");
        await ExpectFocusAsync(page, "[name='Input.Password']", "Tab from the email");
        await page.Keyboard.TypeAsync(Password);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains("/organizations/", StringComparison.Ordinal));
        await page.WaitForCircuitAsync();
        await Expect(page.Locator("#main-content h1")).ToHaveTextAsync(two);
        await Expect(page).ToHaveTitleAsync($"Dashboard · {two} · MultiOrg");

        // A page's first load starts at the top: skip link, navigation toggle, brand, then the switcher.
        await page.Keyboard.PressAsync("Tab");
        await ExpectFocusAsync(page, "[data-testid='skip-link']", "first Tab after signing in");
        await Expect(page.Locator("[data-testid='skip-link']")).ToBeInViewportAsync();
        await ViewportShotAsync(page, "focus-skip-link-light");
        await TabToAsync(page, ".mo-switcher button", 3);
        await Expect(page.Locator(".mo-switcher button")).ToHaveAttributeAsync("aria-label", $"{two}: switch organization");
        await ViewportShotAsync(page, "focus-switcher-light");

        // The switcher: Enter opens it on the first organization; End, Home and type-ahead move; Escape goes back.
        const string focusedItem = "[role=menuitem]:focus";
        await page.Keyboard.PressAsync("Enter");
        await ExpectFocusAsync(page, $"[data-testid='org-switcher-item'][data-name='{one}']", "Enter on the switcher");
        await Expect(page.Locator(".mo-switcher button")).ToHaveAttributeAsync("aria-expanded", "true");

        // The list's own keys are attached after its first render (app.js marks it data-keys="on"); before that a key
        // reaches MudMenu's handler, which knows only the rows it registered when it opened.
        await Expect(page.Locator(".mud-popover-open [data-keys='on']")).ToHaveCountAsync(1);
        await page.Keyboard.PressAsync("End");
        await ExpectFocusAsync(page, "[data-testid='org-switcher-create']", "End");
        await page.Keyboard.PressAsync("Home");
        await ExpectFocusAsync(page, $"[data-testid='org-switcher-item'][data-name='{one}']", "Home");
        await page.Keyboard.PressAsync("k");
        await ExpectFocusAsync(page, $"[data-testid='org-switcher-item'][data-name='{two}']", "type-ahead k from the first");
        await page.Keyboard.PressAsync("ArrowDown");
        await ExpectFocusAsync(page, "[data-testid='org-switcher-create']", "ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");
        await ExpectFocusAsync(page, $"[data-testid='org-switcher-item'][data-name='{one}']", "ArrowDown wraps to the first");
        await page.Keyboard.PressAsync("Escape");
        await ExpectFocusAsync(page, ".mo-switcher button", "Escape from the list");
        await Expect(page.Locator(focusedItem)).ToHaveCountAsync(0);

        // A completed switch: focus on the new organization's heading, announced politely, named in the window title.
        await page.Keyboard.PressAsync("Enter");
        await ExpectFocusAsync(page, $"[data-testid='org-switcher-item'][data-name='{one}']", "Enter on the switcher again");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#main-content h1")).ToHaveTextAsync(one);
        await ExpectFocusAsync(page, "#main-content h1", "after the switch");
        await Expect(page.Locator("[data-testid='switch-announcement']")).ToHaveTextAsync($"Switched to {one}");
        await Expect(page.Locator("[data-testid='switch-announcement']")).ToHaveAttributeAsync("aria-live", "polite");
        await Expect(page).ToHaveTitleAsync($"Dashboard · {one} · MultiOrg");

        // To Members through the navigation, back up from the heading: the new page's heading takes focus.
        await TabToAsync(page, "nav a[href$='/members']", 15, backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/members$"));
        await ExpectFocusAsync(page, "#main-content h1", "after following the Members link");
        await Expect(page.Locator("#main-content h1")).ToHaveTextAsync("Members");
        await Expect(page).ToHaveTitleAsync($"Members · {one} · MultiOrg");

        // A role: the button turns into the open role list with focus in it; "a" moves to ADMIN (only the highlight),
        // Enter chooses it, and focus is back on the row's role button, which says the new role.
        var roleButton = $"[data-testid='member-role-select'][aria-label='Role of {colleague}: MEMBER']";
        await TabToAsync(page, roleButton, 20);
        await page.Keyboard.PressAsync("Enter");
        await ExpectFocusAsync(page, "[data-testid='member-role-choice'] input, input[data-testid='member-role-choice']", "role list opened");

        // The field takes focus before its list is open; a letter pressed on the closed field chooses at once (MudSelect).
        await Expect(page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "ADMIN" })).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("a");
        await Expect(page.Locator("[data-testid='member-role-choice'] input, input[data-testid='member-role-choice']")).ToHaveValueAsync("MEMBER");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByText("is now ADMIN")).ToBeVisibleAsync();
        await ExpectFocusAsync(page, $"[data-testid='member-role-select'][aria-label='Role of {colleague}: ADMIN']", "role chosen");

        // Invite: the dialog opens on its first field, sends, and hands focus back to the Invite button.
        var invitee = $"keys.invitee.{run}@example.test";
        await TabToAsync(page, "[data-testid='invite-members']", 30, backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await ExpectFocusAsync(page, "[data-testid='invite-emails'] textarea, textarea[data-testid='invite-emails']", "invite dialog opened");
        await page.Keyboard.TypeAsync(invitee);
        await TabToAsync(page, "[data-testid='invite-submit']", 4);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByText("1 invitation was sent.")).ToBeVisibleAsync();
        await ExpectFocusAsync(page, "[data-testid='invite-members']", "invite dialog closed after sending");

        // Open and close a dialog: Escape closes it and focus is back where it was.
        await page.Keyboard.PressAsync("Enter");
        await ExpectFocusAsync(page, "[data-testid='invite-emails'] textarea, textarea[data-testid='invite-emails']", "invite dialog opened again");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        await ExpectFocusAsync(page, "[data-testid='invite-members']", "invite dialog closed with Escape");

        // Sign out from the account menu: its button is named by the initials it shows; ArrowUp wraps to "Sign out".
        await TabToAsync(page, ".mo-user-menu button", 40, backwards: true);
        await Expect(page.Locator(".mo-user-menu button")).ToHaveAttributeAsync("aria-label", $"KK, account menu for Kim Keys");
        await Expect(page.Locator(".mo-user-menu button")).ToHaveTextAsync("KK");
        await page.Keyboard.PressAsync("Enter");
        await ExpectFocusAsync(page, "[role=menuitem]", "account menu opened");
        await page.Keyboard.PressAsync("Escape");
        await ExpectFocusAsync(page, ".mo-user-menu button", "Escape from the account menu");
        await page.Keyboard.PressAsync("Enter");
        await ExpectFocusAsync(page, "[role=menuitem]", "account menu opened again");
        await page.Keyboard.PressAsync("ArrowUp");
        await ExpectFocusAsync(page, "[data-testid='sign-out']", "ArrowUp wraps to the last item");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains("/Account/Login", StringComparison.Ordinal));
        await Expect(page.Locator("[name='Input.Email']")).ToBeVisibleAsync();
    }

    /// <summary>An owner ("Kim Keys") with two organizations, the first with a colleague (a MEMBER) in it.</summary>
    private async Task SetUpAsync(string owner, string colleague, string one, string two)
    {
        var person = await fixture.NewPageAsync();
        await person.RegisterAsync(colleague, Password);
        await person.GotoAsync(await fixture.Server.Mailbox.WaitForLinkToAsync(colleague, "/Account/ConfirmEmail"));
        await Expect(person.GetByText("Thank you for confirming your email.")).ToBeVisibleAsync();
        await person.Context.CloseAsync();

        var page = await fixture.NewPageAsync();
        await page.RegisterAsync(owner, Password, "Kim Keys");
        await page.Locator("input[data-testid='org-name']").FillAsync(one);
        await page.Locator("[data-testid='create-org']").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = one })).ToBeVisibleAsync();
        await page.Locator("a[href$='/members']").First.ClickAsync();
        await page.Locator("[data-testid='add-member']").ClickAsync();
        await page.Locator("input[data-testid='add-member-email']").FillAsync(colleague);
        await page.Locator("[data-testid='add-member-submit']").ClickAsync();
        await Expect(page.GetByText("was added as MEMBER")).ToBeVisibleAsync();
        await page.Locator("a[href='/organizations/new']").First.ClickAsync();
        await page.Locator("input[data-testid='org-name']").FillAsync(two);
        await page.Locator("[data-testid='create-org']").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = two })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}

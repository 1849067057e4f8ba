using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MultiOrg.Tests.Browser;

/// <summary>
/// The shell on a phone, 390 px wide (#27 point 6): the app bar's parts side by side without overlapping, the switcher's
/// list inside the screen, the members filters a line each. Leaves the README's 390 px and focus-state screenshots.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SmallScreenJourneys(BrowserFixture fixture)
{
    private static readonly string[] ShellParts =
        ["[aria-label='Toggle navigation']", "[data-testid='brand']", ".mo-switcher button", "[data-testid='theme-toggle']", ".mo-user-menu button"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task At_390_px_the_app_bar_parts_do_not_overlap_and_the_switcher_and_filters_fit(bool dark)
    {
        var theme = dark ? "dark" : "light";
        var page = await fixture.NewPageAsync(dark);
        await page.SetViewportSizeAsync(390, 844);

        // Paula has three organizations, one with a long name; the journey only looks, so where she starts stays as it is.
        await page.SignInAsync("paula.partner@demo.multiorg.test");
        await Expect(page.Locator(".mo-switcher button")).ToBeVisibleAsync();
        var boxes = new List<(string Part, LocatorBoundingBoxResult Box)>();
        foreach (var part in ShellParts)
        {
            var box = await page.Locator($"header {part}").BoundingBoxAsync() ?? throw new Xunit.Sdk.XunitException($"{part} is not shown at 390 px");
            boxes.Add((part, box));
        }

        var report = string.Join("; ", boxes.Select(b => $"{b.Part} x {b.Box.X:N0}..{b.Box.X + b.Box.Width:N0}, y {b.Box.Y:N0}..{b.Box.Y + b.Box.Height:N0}"));
        foreach (var (part, box) in boxes)
        {
            box.X.Should().BeGreaterThanOrEqualTo(0, "{0} starts on the screen ({1})", part, report);
            (box.X + box.Width).Should().BeLessThanOrEqualTo(390, "{0} ends on the screen ({1})", part, report);
        }

        for (var i = 0; i < boxes.Count; i++)
        {
            for (var j = i + 1; j < boxes.Count; j++)
            {
                Overlap(boxes[i].Box, boxes[j].Box).Should().BeFalse("{0} and {1} must not overlap ({2})", boxes[i].Part, boxes[j].Part, report);
            }
        }

        await KeyboardJourneys.ViewportShotAsync(page, $"shell-390-{theme}");

        // The skip link shows when focused, on the screen, above everything else.
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("[data-testid='skip-link']")).ToBeFocusedAsync();
        await Expect(page.Locator("[data-testid='skip-link']")).ToBeInViewportAsync(new() { Ratio = 1 });
        await KeyboardJourneys.ViewportShotAsync(page, $"focus-skip-link-390-{theme}");

        await page.Locator(".mo-switcher button").ClickAsync();
        var list = page.Locator(".mo-switcher-popover");
        await Expect(page.Locator("[data-testid='org-switcher-item']").First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='org-switcher-item']").First).ToBeFocusedAsync();

        // Measured (and pictured) once the list has grown in: during its transition it is scaled down.
        await page.WaitForFunctionAsync("() => getComputedStyle(document.querySelector('.mo-switcher-popover')).opacity === '1'");
        var popover = (await list.BoundingBoxAsync())!;
        popover.X.Should().BeGreaterThanOrEqualTo(0, "the list starts on the screen (x {0:N0})", popover.X);
        (popover.X + popover.Width).Should().BeLessThanOrEqualTo(390, "the list ends on the screen (x {0:N0}, width {1:N0})", popover.X, popover.Width);
        await KeyboardJourneys.ViewportShotAsync(page, $"switcher-390-{theme}");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator(".mo-switcher button")).ToBeFocusedAsync();

        await page.Locator("header [aria-label='Toggle navigation']").ClickAsync();
        await page.Locator("nav a[href$='/members']").ClickAsync();
        await Expect(page.Locator("[data-testid='member-name']").First).ToBeVisibleAsync();
        var toolbar = (await page.Locator(".mo-grid .mud-table-toolbar").BoundingBoxAsync())!;
        foreach (var filter in new[] { ".mo-search", ".mo-role-filter" })
        {
            var box = (await page.Locator($".mo-grid .mud-table-toolbar {filter}").BoundingBoxAsync())!;
            box.Width.Should().BeGreaterThan(toolbar.Width * 0.6f, "{0} is not cut short on a phone ({1:N0} of {2:N0} px)", filter, box.Width, toolbar.Width);
        }

        await page.ScreenshotAsync($"members-390-{theme}");
    }

    private static bool Overlap(LocatorBoundingBoxResult a, LocatorBoundingBoxResult b) =>
        a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height;
}

using Microsoft.Playwright;

namespace MultiOrg.Tests.Browser;

/// <summary>
/// The harness's dialog hook (<see cref="Accessibility.CheckDialogsAsTheyOpen"/>) on a dialog made for the test: a
/// <c>.mud-dialog</c> put into a page, with a field nobody labelled (axe's rule "label") and a title no other dialog has.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DialogAccessibilityHookJourneys(BrowserFixture fixture)
{
    [Fact]
    public async Task A_dialog_with_a_violation_fails_the_next_step_with_the_rule_the_element_the_page_and_the_title()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        var title = await OpenProbeDialogAsync(page);

        // No journey asks for a check: the next step that needs the page runs the hook first.
        var step = () => page.Locator("[data-testid='probe-field']").FillAsync("x");

        var failure = (await step.Should().ThrowAsync<PlaywrightException>()).Which.Message;
        failure.Should().Contain("label (Form elements must have labels)")
            .And.Contain("<input data-testid=\"probe-field\">")
            .And.Contain($"{fixture.Server.BaseUrl}/Account/Login")
            .And.Contain($"dialog “{title}”");
    }

    [Fact]
    public async Task A_dialog_that_closes_before_its_check_ends_fails_nothing_and_is_checked_when_it_opens_again()
    {
        var found = new List<string>();
        var page = await fixture.NewPageAsync(dialogViolations: found);
        await page.GotoAsync("/Account/Login");
        var title = await OpenProbeDialogAsync(page, fadeInMilliseconds: 60_000);

        // The check waits for the fade-in; the dialog closes meanwhile.
        var check = Accessibility.CheckOpenDialogsAsync(page, found);
        await page.WaitForFunctionAsync("() => document.querySelector('.mud-dialog[data-axe-seen]')");
        await page.EvaluateAsync("() => { const dialog = document.querySelector('.mud-dialog'); dialog.remove(); window.probeFadeIn.finish(); }");
        await check;

        found.Should().BeEmpty("a dialog that was gone when axe finished is not judged");
        Accessibility.ClosedBeforeChecked.Should().Contain(where => where.Contains(title, StringComparison.Ordinal));

        await OpenProbeDialogAsync(page, title: title);
        await Accessibility.CheckOpenDialogsAsync(page, found);
        found.Should().ContainSingle().Which.Should().StartWith("label ").And.Contain(title, "the first opening was not counted as checked");
    }

    /// <summary>Puts a dialog with an unlabelled field into the page, fading in for as long as asked; returns its title.</summary>
    private static async Task<string> OpenProbeDialogAsync(IPage page, int fadeInMilliseconds = 0, string? title = null)
    {
        title ??= $"Probe {Guid.NewGuid():N}";
        await page.EvaluateAsync(
            """
            ([title, fadeIn]) => {
                const dialog = document.createElement('div');
                dialog.className = 'mud-dialog';
                dialog.setAttribute('role', 'dialog');
                dialog.setAttribute('aria-label', title);
                const heading = document.createElement('div');
                heading.className = 'mud-dialog-title';
                heading.textContent = title;
                const field = document.createElement('input');
                field.setAttribute('data-testid', 'probe-field');
                dialog.append(heading, field);
                document.body.append(dialog);
                if (fadeIn > 0) window.probeFadeIn = dialog.animate([{ opacity: 0 }, { opacity: 1 }], fadeIn);
            }
            """,
            new object[] { title, fadeInMilliseconds });
        return title;
    }
}

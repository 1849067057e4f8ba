using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace MultiOrg.Tests.Browser;

/// <summary>
/// axe-core's WCAG 2.1 A/AA rules on the pages and dialogs the journeys visit (issue 27): a violation fails the journey
/// with the rule, the element and the page.
/// </summary>
public static partial class Accessibility
{
    public static readonly IReadOnlyList<string> Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    /// <summary>
    /// What was checked in this test run: (route with ids replaced, theme and organization colour, dialog title). One axe
    /// run costs about a second of Chromium time on this machine (measured: see <see cref="RunTimes"/>), so a page
    /// or dialog the journeys see again in the same look is not checked again: the suite pays once per page and look.
    /// </summary>
    private static readonly ConcurrentDictionary<string, bool> Checked = new(StringComparer.Ordinal);

    private static readonly AxeRunOptions Options = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Tags] },
    };

    /// <summary>How long each axe run of this test run took.</summary>
    public static ConcurrentQueue<TimeSpan> RunTimes { get; } = new();

    public static string RunTimeSummary =>
        RunTimes.IsEmpty ? "no axe run" : $"{RunTimes.Count} axe runs, {RunTimes.Average(t => t.TotalMilliseconds):0} ms each on average, {RunTimes.Max(t => t.TotalMilliseconds):0} ms at most";

    /// <summary>Checks the page as it is now, once per route and look in this test run; throws on any violation.</summary>
    public static async Task CheckPageAsync(this IPage page)
    {
        var violations = await PageViolationsAsync(page, once: true);
        if (violations.Count > 0)
        {
            throw new AccessibilityException(violations);
        }
    }

    /// <summary>Waits for the open MudDialog, checks it once per route, look and title, and returns it.</summary>
    public static async Task<ILocator> CheckDialogAsync(this IPage page, ILocator? dialog = null)
    {
        dialog ??= page.Locator(".mud-dialog").Last;
        await dialog.WaitForAsync();
        var violations = await DialogViolationsAsync(page, dialog, once: true);
        if (violations.Count > 0)
        {
            throw new AccessibilityException(violations);
        }

        return dialog;
    }

    /// <summary>The violations on the page, each as "rule at element (html) on url".</summary>
    public static async Task<IReadOnlyList<string>> PageViolationsAsync(IPage page, bool once = false)
    {
        var key = $"{Route(page.Url)} | {await LookAsync(page)}";
        if (once && !Checked.TryAdd(key, true))
        {
            return [];
        }

        await SettledAsync(page.Locator("body"));
        return Describe(page.Url, await TimedAsync(() => page.RunAxe(Options)));
    }

    public static async Task<IReadOnlyList<string>> DialogViolationsAsync(IPage page, ILocator dialog, bool once = false)
    {
        var title = (await dialog.Locator(".mud-dialog-title").AllInnerTextsAsync()).FirstOrDefault()?.Trim() ?? "";
        var key = $"{Route(page.Url)} | {await LookAsync(page)} | dialog {title}";
        if (once && !Checked.TryAdd(key, true))
        {
            return [];
        }

        await SettledAsync(dialog);
        return Describe($"{page.Url} (dialog “{title}”)", await TimedAsync(() => dialog.RunAxe(Options)));
    }

    /// <summary>
    /// Waits for the transitions and animations that end (a dialog fading in, a label's colour after the theme
    /// followed the system's dark mode): colours read mid-way are blends nobody sees. Endless ones (loading bars) are left.
    /// </summary>
    private static Task SettledAsync(ILocator root) =>
        root.EvaluateAsync("""
            r => Promise.all(r.getAnimations({ subtree: true })
                .filter(a => Number.isFinite(a.effect?.getComputedTiming().endTime))
                .map(a => a.finished.catch(() => null)))
            """);

    private static async Task<AxeResult> TimedAsync(Func<Task<AxeResult>> run)
    {
        var clock = Stopwatch.StartNew();
        var result = await run();
        RunTimes.Enqueue(clock.Elapsed);
        return result;
    }

    private static List<string> Describe(string url, AxeResult result) =>
        [.. result.Violations.SelectMany(violation => violation.Nodes.Select(node =>
            $"{violation.Id} ({violation.Help}) at {node.Target} {node.Html} on {url}: {string.Join("; ", node.Any.Concat(node.All).Concat(node.None).Select(check => check.Message))}"))];

    /// <summary>The path with each id (a GUID or a number) as {id}: every organization's members page is one page.</summary>
    public static string Route(string url) =>
        IdSegment().Replace(new Uri(url).AbsolutePath, "/{id}");

    /// <summary>Light or dark, the primary (organization) colour, and whether a support impersonation banner shows.</summary>
    private static Task<string> LookAsync(IPage page) =>
        page.EvaluateAsync<string>("""
            () => {
                const root = getComputedStyle(document.documentElement);
                const background = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
                const dark = background.slice(0, 3).reduce((a, b) => a + b, 0) < 384;
                return `${dark ? 'dark' : 'light'} ${root.getPropertyValue('--mud-palette-primary').trim()}`
                    + (document.querySelector('.mo-impersonation') ? ' impersonating' : '');
            }
            """);

    [GeneratedRegex(@"/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\d+)(?=/|$)")]
    private static partial Regex IdSegment();
}

public sealed class AccessibilityException(IReadOnlyList<string> violations, string? context = null)
    : Exception($"{violations.Count} WCAG 2.1 A/AA violation(s){context}:\n{string.Join("\n", violations)}");

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Microsoft.Playwright;

namespace MultiOrg.Tests.Browser;

/// <summary>
/// axe-core's WCAG 2.1 A/AA rules on the pages and dialogs the journeys visit (issue 27): a violation fails the journey
/// with the rule, the element and the page (and the dialog's title).
/// </summary>
public static partial class Accessibility
{
    public static readonly IReadOnlyList<string> Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    /// <summary>
    /// What was checked in this test run: pages by (route with ids replaced, theme and organization colour), dialogs by
    /// (title, theme and organization colour). A page or dialog the journeys see again in the same look is not checked
    /// again: the suite pays once per page or dialog and look.
    /// </summary>
    private static readonly ConcurrentDictionary<string, bool> Checked = new(StringComparer.Ordinal);

    /// <summary>axe-core itself (the copy Deque ships), put into a page once per document when a check first needs it.</summary>
    private static readonly string AxeScript = new BundledAxeScriptProvider().GetScript();

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Each page's dialog hook, so <see cref="BrowserFixture.NewPageAsync"/> can wait until its page has one.</summary>
    private static readonly ConditionalWeakTable<IPage, Task> Hooks = [];

    /// <summary>A dialog the hook has not looked at yet (it marks each one it has seen).</summary>
    private const string UnseenDialog = ".mud-dialog:not([data-axe-seen])";

    /// <summary>How long each axe run of this test run took (axe itself and putting it into the page, not the wait for animations).</summary>
    public static ConcurrentQueue<(string Kind, TimeSpan Took)> RunTimes { get; } = new();

    /// <summary>Every check of this test run: what, where, how many violations, how long.</summary>
    public static ConcurrentQueue<string> Log { get; } = new();

    /// <summary>Dialogs that closed (or whose page went away) before their check finished: not counted as checked.</summary>
    public static ConcurrentQueue<string> ClosedBeforeChecked { get; } = new();

    public static string RunTimeSummary
    {
        get
        {
            if (RunTimes.IsEmpty)
            {
                return "no axe run";
            }

            var runs = RunTimes.ToArray();
            var dialogs = runs.Count(r => r.Kind == "dialog");
            var closed = ClosedBeforeChecked.IsEmpty ? "" : $"; closed before their check: {string.Join(", ", ClosedBeforeChecked)}";
            return $"{runs.Length} axe runs ({runs.Length - dialogs} pages, {dialogs} dialogs), {runs.Sum(r => r.Took.TotalMilliseconds):0} ms in all, "
                + $"{runs.Average(r => r.Took.TotalMilliseconds):0} ms each on average, {runs.Max(r => r.Took.TotalMilliseconds):0} ms at most{closed}";
        }
    }

    /// <summary>Checks the page as it is now, once per route and look in this test run; throws on any violation.</summary>
    public static async Task CheckPageAsync(this IPage page)
    {
        var violations = await PageViolationsAsync(page, once: true);
        if (violations.Count > 0)
        {
            throw new AccessibilityException(violations);
        }
    }

    /// <summary>The violations on the page, each as "rule at element (html) on url".</summary>
    public static async Task<IReadOnlyList<string>> PageViolationsAsync(IPage page, bool once = false)
    {
        var key = $"{Route(page.Url)} | {await page.EvaluateAsync<string>(LookScript)}";
        if (once && !Checked.TryAdd(key, true))
        {
            return [];
        }

        // The circuit renders the page's <PageTitle> into the head a render after the page: a check right after the
        // circuit is ready can come first (the former runner's second of setup hid that). A page that never sets one
        // goes on after 5 s and fails with axe's document-title.
        try
        {
            await page.WaitForFunctionAsync("() => document.title.trim() !== ''", null, new PageWaitForFunctionOptions { Timeout = 5_000 });
        }
        catch (TimeoutException)
        {
        }

        return await RunAsync(page, null, page.Url) ?? throw new InvalidOperationException($"{page.Url} went away while axe checked it.");
    }

    /// <summary>
    /// Checks the open dialog in a state its opening did not show (the hook sees each dialog as it opens), once per title,
    /// <paramref name="state"/> and look; throws on any violation. Returns the dialog.
    /// </summary>
    public static async Task<ILocator> CheckDialogAsync(this IPage page, string state)
    {
        var dialog = page.Locator(".mud-dialog").Last;
        await dialog.WaitForAsync();
        var title = Numbers().Replace((await dialog.Locator(".mud-dialog-title").AllTextContentsAsync()).FirstOrDefault()?.Trim() ?? "", "#");
        if (!Checked.TryAdd($"dialog {title} ({state}) | {await page.EvaluateAsync<string>(LookScript)}", true))
        {
            return dialog;
        }

        var where = $"{page.Url} (dialog “{title}”, {state})";
        var violations = await RunAsync(page, ".mud-dialog", where, "dialog") ?? throw new InvalidOperationException($"{where} closed while axe checked it.");
        if (violations.Count > 0)
        {
            throw new AccessibilityException(violations);
        }

        return dialog;
    }

    /// <summary>
    /// Checks every dialog of the context's pages when it opens, once per title and look in this test run: a violation
    /// closes the page with the violations as the reason, so the step in progress fails with them (rule, element, page,
    /// dialog). With <paramref name="collect"/> the violations are added there instead and nothing fails.
    /// </summary>
    /// <remarks>
    /// Playwright runs a locator handler before each action, and each retry of one, that needs the page (click, fill,
    /// wait, expect) whenever its locator is visible, and holds the action until the handler is done. A click or a fill
    /// inside a dialog runs it after finding its element, so the dialog cannot have closed or changed before its check.
    /// A dialog opened and closed with keys only, and never waited for, is not seen.
    /// </remarks>
    public static void CheckDialogsAsTheyOpen(this IBrowserContext context, ICollection<string>? collect = null) =>
        context.Page += (_, page) => Hooks.AddOrUpdate(page, page.AddLocatorHandlerAsync(
            page.Locator(UnseenDialog).Last,
            _ => CheckOpenDialogsOrFailAsync(page, collect),
            new PageAddLocatorHandlerOptions { NoWaitAfter = true }));

    /// <summary>Waits until the page's dialog hook is in place.</summary>
    public static Task DialogHookAsync(IPage page) => Hooks.TryGetValue(page, out var hook) ? hook : Task.CompletedTask;

    /// <summary>Checks the dialogs open now that the hook has not seen yet (the hook calls it; the sweep calls it to be sure).</summary>
    public static async Task CheckOpenDialogsAsync(IPage page, ICollection<string>? collect = null)
    {
        var url = page.Url;
        var open = JsonSerializer.Deserialize<OpenDialog[]>(await page.EvaluateAsync<string>(MarkDialogsScript), Json) ?? [];
        foreach (var dialog in open)
        {
            var title = Numbers().Replace(dialog.Title, "#");
            var key = $"dialog {title} | {dialog.Look}";
            if (Checked.ContainsKey(key))
            {
                continue;
            }

            var where = $"{url} (dialog “{dialog.Title}”, {dialog.Look})";
            var violations = await RunAsync(page, $".mud-dialog[data-axe-seen='{dialog.Mark}']", where, "dialog");
            if (violations is null)
            {
                ClosedBeforeChecked.Enqueue(where);
                continue;
            }

            if (!Checked.TryAdd(key, true) || violations.Count == 0)
            {
                continue;
            }

            if (collect is null)
            {
                await page.CloseAsync(new PageCloseOptions { Reason = new AccessibilityException(violations).Message });
                return;
            }

            lock (collect)
            {
                foreach (var violation in violations)
                {
                    collect.Add(violation);
                }
            }
        }
    }

    /// <summary>The handler: Playwright drops its exceptions, so anything unexpected fails the page's journey here.</summary>
    private static async Task CheckOpenDialogsOrFailAsync(IPage page, ICollection<string>? collect)
    {
        try
        {
            await CheckOpenDialogsAsync(page, collect);
        }
        catch (Exception e) when (page.IsClosed || e.Message.Contains("Execution context was destroyed", StringComparison.Ordinal))
        {
            // The journey closed the page or navigated away while the dialog was being checked: nothing was counted.
        }
        catch (Exception e)
        {
            await page.CloseAsync(new PageCloseOptions { Reason = $"The accessibility check of an open dialog failed: {e}" });
        }
    }

    /// <summary>
    /// Runs axe in the page on <paramref name="selector"/>'s last match (the whole page when null) once its animations
    /// that end have ended; null when the element went away before axe finished.
    /// </summary>
    private static async Task<IReadOnlyList<string>?> RunAsync(IPage page, string? selector, string where, string kind = "page")
    {
        var clock = Stopwatch.StartNew();
        var json = await page.EvaluateAsync<string?>(RunScript, new object?[] { selector, Tags });
        if (json == "no axe")
        {
            await page.EvaluateAsync($"() => {{ {AxeScript} }}");
            json = await page.EvaluateAsync<string?>(RunScript, new object?[] { selector, Tags });
        }

        if (json is null)
        {
            return null;
        }

        var run = JsonSerializer.Deserialize<AxeRun>(json, Json)!;
        var took = clock.Elapsed - TimeSpan.FromMilliseconds(run.Settling);
        RunTimes.Enqueue((kind, took));
        Log.Enqueue($"{kind} {where}: {run.Violations.Length} violation(s), {took.TotalMilliseconds:0} ms");
        return [.. run.Violations.Select(v => $"{v.Rule} ({v.Help}) at {v.Target} {v.Html} on {where}: {v.Why}")];
    }

    /// <summary>
    /// Waits for the transitions and animations that end (a dialog fading in, a label's colour after the theme followed
    /// the system's dark mode): colours read mid-way are blends nobody sees. Endless ones (loading bars) are left.
    /// </summary>
    private const string RunScript = """
        async ([selector, tags]) => {
            if (typeof window.axe?.run !== 'function') return 'no axe';
            const target = selector ? [...document.querySelectorAll(selector)].at(-1) : document.body;
            if (!target) return null;
            const started = performance.now();
            await Promise.all((target.parentElement ?? target).getAnimations({ subtree: true })
                .filter(a => Number.isFinite(a.effect?.getComputedTiming().endTime))
                .map(a => a.finished.catch(() => null)));
            const settling = performance.now() - started;
            if (!target.isConnected) return null;
            const result = await window.axe.run(selector ? target : document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
            if (!target.isConnected) return null;
            const violations = result.violations.flatMap(v => v.nodes.map(n => ({
                rule: v.id, help: v.help, target: n.target.map(t => [].concat(t).join(' >>> ')).join(' '), html: n.html,
                why: [...n.any, ...n.all, ...n.none].map(c => c.message).join('; '),
            })));
            return JSON.stringify({ settling, violations });
        }
        """;

    /// <summary>Marks each dialog not seen before and returns its mark, title and look.</summary>
    private const string MarkDialogsScript = "() => { const look = (" + LookScript + """
        )();
            return JSON.stringify([...document.querySelectorAll('.mud-dialog:not([data-axe-seen])')].map(dialog => {
                const mark = String(window.__axeDialogMarks = (window.__axeDialogMarks ?? 0) + 1);
                dialog.setAttribute('data-axe-seen', mark);
                const title = dialog.querySelector('.mud-dialog-title')?.textContent ?? dialog.getAttribute('aria-label') ?? '';
                return { mark, title: title.replace(/\s+/g, ' ').trim(), look };
            }));
        }
        """;

    /// <summary>Light or dark, the primary (organization) colour, and whether a support impersonation banner shows.</summary>
    private const string LookScript = """
        () => {
            const root = getComputedStyle(document.documentElement);
            const background = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
            const dark = background.slice(0, 3).reduce((a, b) => a + b, 0) < 384;
            return `${dark ? 'dark' : 'light'} ${root.getPropertyValue('--mud-palette-primary').trim()}`
                + (document.querySelector('.mo-impersonation') ? ' impersonating' : '');
        }
        """;

    /// <summary>The path with each id (a GUID or a number) as {id}: every organization's members page is one page.</summary>
    public static string Route(string url) =>
        IdSegment().Replace(new Uri(url).AbsolutePath, "/{id}");

    [GeneratedRegex(@"/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\d+)(?=/|$)")]
    private static partial Regex IdSegment();

    /// <summary>"Remove 2 members?" and "Remove 3 members?" are one dialog.</summary>
    [GeneratedRegex(@"\d+")]
    private static partial Regex Numbers();

    private sealed record OpenDialog(string Mark, string Title, string Look);

    private sealed record AxeRun(double Settling, Violation[] Violations);

    private sealed record Violation(string Rule, string Help, string Target, string Html, string Why);
}

public sealed class AccessibilityException(IReadOnlyList<string> violations, string? context = null)
    : Exception($"{violations.Count} WCAG 2.1 A/AA violation(s){context}:\n{string.Join("\n", violations)}");

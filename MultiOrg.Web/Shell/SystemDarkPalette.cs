using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace MultiOrg.Web.Shell;

/// <summary>
/// The account pages (sign-in, registration…) are rendered statically, before anyone has a stored theme preference, so
/// they follow the browser's: MudBlazor's own dark theme variables, rendered once, applied under
/// <c>@media (prefers-color-scheme: dark)</c>. The app itself starts from the same system preference.
/// One per host (a singleton), so hosts in one process never share it.
/// </summary>
public sealed partial class SystemDarkPalette : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private string? css;

    /// <summary>The rules, rendered once with the first caller's (request-scoped) services.</summary>
    public async Task<string> CssAsync(IServiceProvider services, ILoggerFactory loggers)
    {
        if (css is not null)
        {
            return css;
        }

        await gate.WaitAsync();
        try
        {
            if (css is null)
            {
                await using var renderer = new HtmlRenderer(services, loggers);
                var html = await renderer.Dispatcher.InvokeAsync(async () =>
                {
                    var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
                    {
                        [nameof(MudThemeProvider.Theme)] = MultiOrgTheme.Theme,
                        [nameof(MudThemeProvider.IsDarkMode)] = true,
                    });
                    return (await renderer.RenderComponentAsync<MudThemeProvider>(parameters)).ToHtmlString();
                });
                var rules = string.Concat(StyleContent().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)));
                css = $"@media (prefers-color-scheme: dark) {{ {rules} }}";
            }

            return css;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    [GeneratedRegex("<style[^>]*>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleContent();
}

using Microsoft.AspNetCore.Http.HttpResults;

namespace MultiOrg.Web.Features.Security;

/// <summary>
/// Where the app sends a person back to: one check for every return URL read or rendered, the framework's own
/// (<see cref="RedirectHttpResult.IsLocalUrl"/>), so tabs, newlines, backslashes and "//host" never leave the site.
/// </summary>
public static class ReturnUrls
{
    /// <summary>A path of this site ("/…"), or null: "//host", "/\host", "/%09/host" and absolute addresses are other sites to a browser.</summary>
    public static string? LocalOnly(string? url) =>
        RedirectHttpResult.IsLocalUrl(url) && IsPrintableAscii(url!) ? (url![0] == '~' ? url[1..] : url) : null;

    // A Location header carries ASCII only (Kestrel answers 500 for anything else), and some browsers read look-alikes
    // such as U+3031 as a slash ("/〱evil.example" opens evil.example). The app's own links are percent-encoded ASCII,
    // so a return URL with any other character was crafted: it falls back to the root rather than being re-encoded,
    // since guessing how each browser would have read it is the very thing that goes wrong.
    private static bool IsPrintableAscii(string url) => !url.Any(c => c is < '\u0020' or > '\u007E');

    /// <summary>
    /// A path of this site for a redirect target given relative to the app's root, as the account pages give them
    /// ("Account/Manage"), as a path ("/organizations/…"), or absolute on <paramref name="baseUri"/>; anything else is "/".
    /// </summary>
    public static string LocalOrRoot(string? url, string? baseUri = null)
    {
        if (string.IsNullOrEmpty(url))
        {
            return "/";
        }

        if (baseUri is not null && url.StartsWith(baseUri, StringComparison.OrdinalIgnoreCase))
        {
            url = url[baseUri.Length..];
        }

        if (url[0] is '/' or '~')
        {
            return LocalOnly(url) ?? "/";
        }

        // A root-relative target ("Account/Login") is a path of this site once it starts with the root; an address with
        // a scheme (another site, javascript:) is not a target at all.
        return HasScheme(url) ? "/" : LocalOnly("/" + url) ?? "/";
    }

    private static bool HasScheme(string url)
    {
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var slash = url.IndexOfAny(['/', '\\', '?', '#']);
        return colon >= 0 && (slash < 0 || colon < slash);
    }

    public static string For(string page, string returnUrl) => $"{page}?returnUrl={Uri.EscapeDataString(returnUrl)}";
}

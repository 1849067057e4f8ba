namespace MultiOrg.Web.Security;

/// <summary>Where an account page sends the person back to, once a policy's demand is met.</summary>
public static class ReturnUrls
{
    /// <summary>
    /// Only a path of this site: a crafted link must not send the person elsewhere after they changed their password or
    /// set up an authenticator ("//host" and "/\host" are other sites to a browser).
    /// </summary>
    public static string? LocalOnly(string? url) =>
        url is { Length: > 1 } && url[0] == '/' && url[1] != '/' && url[1] != '\\' ? url : null;

    public static string For(string page, string returnUrl) => $"{page}?returnUrl={Uri.EscapeDataString(returnUrl)}";
}

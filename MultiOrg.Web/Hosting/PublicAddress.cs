using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Primitives;

namespace MultiOrg.Web.Hosting;

/// <summary>The address people reach the app at (<c>App:PublicBaseUrl</c>).</summary>
public sealed class AppOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string Section = "App";

    /// <summary>For example https://multiorg.example/: every link that leaves the app (mail) starts with it.</summary>
    [System.ComponentModel.Description("the address people open the app at (`https://multiorg.example/`), **required in Production**; links in mail start with it and the app answers only to its host name (or `AllowedHosts`); elsewhere the app's own listening address")]
    public string? PublicBaseUrl { get; set; }

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(PublicBaseUrl) && PublicAddress.Parse(PublicBaseUrl) is null)
        {
            yield return new(PublicAddress.Expected, [nameof(PublicBaseUrl)]);
        }
    }
}

/// <summary>The framework's top-level <c>AllowedHosts</c>: the host names the app answers to.</summary>
public sealed class HostNameSettings : System.ComponentModel.DataAnnotations.IValidatableObject
{
    /// <summary>The top level of the configuration, not a section.</summary>
    public const string Section = "";

    [System.ComponentModel.Description("host names the app answers to, separated by `;` (`multiorg.example;*.multiorg.example`; `*` for any); none: the host of `App:PublicBaseUrl`, or any when that is not set; other hosts get 400, except on `/health`")]
    public string? AllowedHosts { get; set; }

    internal string[] Entries() => (AllowedHosts ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (Entries().Any(h => h != "*" && Uri.CheckHostName(h.StartsWith("*.", StringComparison.Ordinal) ? h[2..] : h) == UriHostNameType.Unknown))
        {
            yield return new("must list host names separated by ';' such as multiorg.example;*.multiorg.example, or *", [nameof(AllowedHosts)]);
        }
    }
}

/// <summary>
/// Links in mail are built from the configured public address, never from the request's Host header (which a caller
/// chooses); and the app answers only to that host name unless <c>AllowedHosts</c> says otherwise.
/// </summary>
public static class PublicAddress
{
    public const string Setting = "App:PublicBaseUrl";

    private static readonly PathString Health = "/health";

    /// <summary>Checks the setting; Production refuses to start without it, since links would otherwise have no trustworthy address.</summary>
    public static IServiceCollection AddPublicAddress(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var app = services.AddSettings<AppOptions>(AppOptions.Section);
        if (environment.IsProduction())
        {
            // Links in password-reset, confirmation and invitation mails start with it, and the app answers only to its host name.
            app.Validate(
                options => !string.IsNullOrWhiteSpace(options.PublicBaseUrl),
                $"{Setting} must be set in Production to the address people open the app at, such as https://multiorg.example/ (App__PublicBaseUrl as an environment variable).");
        }

        services.AddSettings<HostNameSettings>(HostNameSettings.Section);

        // One host check, ours (UseAllowedHosts), so that the health endpoints can answer a balancer's probe by IP address.
        services.PostConfigure<HostFilteringOptions>(options => options.AllowedHosts = ["*"]);
        return services;
    }

    internal const string Expected = "must be an absolute http or https address such as https://multiorg.example/";

    /// <summary>
    /// The configured public address, ending with a slash; null when unset or not an address (a bad one stops the
    /// host at start, <see cref="AppOptions"/>).
    /// </summary>
    public static Uri? Read(IConfiguration configuration) => configuration[Setting] is { } value ? Parse(value) : null;

    internal static Uri? Parse(string value) =>
        !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment)
            ? null
            : new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");

    /// <summary>
    /// Refuses (400) a request for another host name than <c>AllowedHosts</c> lists, or, when that is not set, than the
    /// public address's; the health endpoints answer whatever the host (a balancer probes a server by its IP address).
    /// </summary>
    public static IApplicationBuilder UseAllowedHosts(this IApplicationBuilder app, IConfiguration configuration)
    {
        var hosts = AllowedHosts(configuration);
        if (hosts.Count == 0)
        {
            return app;
        }

        return app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(Health) || HostString.MatchesAny(context.Request.Host.Host, hosts))
            {
                await next(context);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("Invalid host name.");
        });
    }

    /// <summary>The host names the app answers to; none means any.</summary>
    public static IList<StringSegment> AllowedHosts(IConfiguration configuration)
    {
        var configured = (configuration.Get<HostNameSettings>() ?? new()).Entries();
        if (configured.Contains("*"))
        {
            return [];
        }

        if (configured.Length > 0)
        {
            return [.. configured.Select(host => new StringSegment(host))];
        }

        return Read(configuration) is { } address ? [new StringSegment(address.IdnHost)] : [];
    }
}

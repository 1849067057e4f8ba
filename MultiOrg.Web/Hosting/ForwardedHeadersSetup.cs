using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace MultiOrg.Web.Hosting;

/// <summary>The <c>ForwardedHeaders</c> section: the proxies whose <c>X-Forwarded-For</c> is believed.</summary>
public sealed class ForwardedHeadersSettings : IValidatableObject
{
    public const string Section = "ForwardedHeaders";

    private static readonly char[] Separators = [',', ';', ' '];

    [Description("addresses of the proxies (the load balancer) whose `X-Forwarded-For` is believed: a list, or one value separated by commas; none: the connection's address is the client's (allow-lists, audit)")]
    public List<string> KnownProxies { get; set; } = [];

    [Description("CIDR ranges of such proxies (`10.0.0.0/24`), a list or one value separated by commas")]
    public List<string> KnownNetworks { get; set; } = [];

    public bool Any => KnownProxies.Count + KnownNetworks.Count > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var bad in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"must list IP addresses such as 10.0.0.10; '{bad}' is not one", [nameof(KnownProxies)]);
        }

        foreach (var bad in KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult($"must list CIDR ranges such as 10.0.0.0/24; '{bad}' is not one", [nameof(KnownNetworks)]);
        }
    }

    /// <summary>
    /// The binder reads a list only from numbered keys (<c>KnownProxies:0</c>); one environment variable
    /// (<c>ForwardedHeaders__KnownProxies=10.0.0.10,10.0.0.11</c>) is a single value, split here.
    /// </summary>
    internal void AddSingleValues(IConfiguration configuration)
    {
        KnownProxies = [.. Split(KnownProxies, configuration[$"{Section}:{nameof(KnownProxies)}"])];
        KnownNetworks = [.. Split(KnownNetworks, configuration[$"{Section}:{nameof(KnownNetworks)}"])];
    }

    private static IEnumerable<string> Split(List<string> listed, string? single) =>
        listed.Concat(single?.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [])
            .SelectMany(v => v.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// The client address (allow-lists, audit) is the connection's, unless trusted proxies are configured: only then are
/// <c>X-Forwarded-For</c> headers believed, and only from those proxies. The framework's default trust of loopback is dropped.
/// </summary>
public static class ForwardedHeadersSetup
{
    /// <summary>Registers the trusted proxies; true when there are any, so the middleware is needed.</summary>
    public static bool AddMultiOrgForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<ForwardedHeadersSettings>(ForwardedHeadersSettings.Section).PostConfigure(s => s.AddSingleValues(configuration));
        var settings = configuration.GetSection(ForwardedHeadersSettings.Section).Get<ForwardedHeadersSettings>() ?? new();
        settings.AddSingleValues(configuration);
        if (new SettingsValidator<ForwardedHeadersSettings>(ForwardedHeadersSettings.Section).Validate(null, settings).Failed)
        {
            // The settings check stops the host at start with the reason; nothing is trusted meanwhile.
            return false;
        }

        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in settings.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in settings.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return settings.Any;
    }
}

using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace MultiOrg.Web.Hosting;

/// <summary>The <c>Metrics</c> section: the management address of the Prometheus scrape.</summary>
public sealed class MetricsSettings : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string Section = "Metrics";

    [System.ComponentModel.Description("the management addresses (separated by `;`) that serve the Prometheus scrape on `/metrics` and nothing else, http with an explicit port; `http://0.0.0.0:9464` for a scraper on another machine; empty turns the scrape off")]
    public string? Urls { get; set; } = MetricsPort.DefaultUrls;

    internal List<Uri> Addresses() => [.. Entries().Select(MetricsPort.Parse).OfType<Uri>()];

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (Entries().Any(url => MetricsPort.Parse(url) is null))
        {
            yield return new("must list http addresses with an explicit port, such as http://127.0.0.1:9464", [nameof(Urls)]);
        }
    }

    private string[] Entries() => (Urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// The Prometheus endpoint lives on its own management address (<c>Metrics:Urls</c>, default http://127.0.0.1:9464,
/// loopback only), never on the public one: a scrape shows every route and event counter. That address serves
/// /metrics and nothing else; an empty <c>Metrics:Urls</c> turns the endpoint off.
/// </summary>
public static class MetricsPort
{
    public const string Setting = "Metrics:Urls";
    public const string DefaultUrls = "http://127.0.0.1:9464";
    public const string Path = "/metrics";

    /// <summary>Adds the management addresses to the ones the app listens on (the public <c>urls</c> / <c>HTTP_PORTS</c>, as the host reads them).</summary>
    public static void AddMetricsPort(this WebApplicationBuilder builder)
    {
        var management = builder.Services.ReadSettings<MetricsSettings>(builder.Configuration, MetricsSettings.Section).Addresses();
        if (management.Count == 0)
        {
            return;
        }

        // Kestrel takes one list of addresses: the public ones the host would have used, then the management ones.
        var configured = builder.Configuration[WebHostDefaults.ServerUrlsKey];
        IEnumerable<string> publicUrls = !string.IsNullOrWhiteSpace(configured)
            ? configured.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [.. Ports(builder.Configuration[WebHostDefaults.HttpPortsKey], "http"), .. Ports(builder.Configuration[WebHostDefaults.HttpsPortsKey], "https")];
        var all = publicUrls.DefaultIfEmpty("http://localhost:5000").Concat(management.Select(u => u.AbsoluteUri.TrimEnd('/'))).ToArray();
        builder.WebHost.UseUrls(all);
    }

    /// <summary>Answers /metrics on the management ports (404 for anything else there); the public ports never see it.</summary>
    public static void UseMetricsPort(this WebApplication app)
    {
        var configured = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MetricsSettings>>().Value.Addresses();
        if (configured.Count == 0)
        {
            return;
        }

        // Port 0 (the tests: the system picks a free one) is known once Kestrel bound it: the management addresses are
        // the last ones it reports, in the order AddMetricsPort listed them.
        var ports = new Lazy<HashSet<int>>(() => configured.All(u => u.Port != 0)
            ? [.. configured.Select(u => u.Port)]
            : [.. (app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
                .TakeLast(configured.Count).Select(a => BindingAddress.Parse(a).Port)]);

        // The connection's own local port, not the Host header (which the caller writes): a public request cannot reach it.
        app.MapWhen(context => ports.Value.Contains(context.Connection.LocalPort), management =>
        {
            management.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Request.Path == Path);
            management.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });
    }

    /// <summary>An http address with its port written out (the port the scraper is told), or null.</summary>
    internal static Uri? Parse(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp
            && url.TrimEnd('/').EndsWith(FormattableString.Invariant($":{uri.Port}"), StringComparison.Ordinal)
            ? uri
            : null;

    private static IEnumerable<string> Ports(string? ports, string scheme) =>
        (ports ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(port => $"{scheme}://*:{port}");
}

using System.Net;
using MultiOrg.Domain.Security;
using MultiOrg.Web.Hosting;

namespace MultiOrg.Web.Outbound;

/// <summary>
/// The one HTTP client for every address an organization or a client supplies (single sign-on discovery, keys and
/// tokens; later SAML metadata and client metadata documents): only addresses <see cref="OutboundAddresses"/> allows,
/// checked at each connection; no proxy from the environment that could reach what the check refuses; at most a few
/// redirects, each connection checked again; bounded time and a bounded body after decompression.
/// </summary>
public static class OutboundHttp
{
    public const string ClientName = "outbound";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Discovery documents, key sets and token responses are a few kilobytes; a megabyte is plenty.</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    public static IServiceCollection AddMultiOrgOutboundHttp(this IServiceCollection services, IConfiguration configuration)
    {
        // Checked at start (a bad value stops the host with one line); read now, as the defaults when it is bad.
        services.AddSingleton(OutboundAddresses.FromSetting(services.ReadSettings<OutboundRequestsSettings>(configuration, OutboundRequestsSettings.Section).AllowPrivateNetworks));
        services.AddSettings<DnsSettings>(DnsSettings.Section);
        var nameServers = NameServerResolver.ReadSetting(configuration);
        if (nameServers.Count == 0)
        {
            services.AddSingleton<INameResolver, SystemNameResolver>();
        }
        else
        {
            services.AddSingleton<INameResolver>(new NameServerResolver(NameServerResolver.CreateLookupClient(nameServers)));
        }

        services.AddSingleton<OutboundConnector>();
        services.AddHttpClient(ClientName, client =>
            {
                client.Timeout = Timeout;
                client.MaxResponseContentBufferSize = MaxResponseBytes;
            })
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                ConnectCallback = provider.GetRequiredService<OutboundConnector>().ConnectAsync,
                UseProxy = false,
                AllowAutoRedirect = true,
                MaxAutomaticRedirections = 3,
                AutomaticDecompression = DecompressionMethods.All,
                ConnectTimeout = Timeout,
                MaxResponseHeadersLength = 64,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });
        return services;
    }
}

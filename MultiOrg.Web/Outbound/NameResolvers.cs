using System.Globalization;
using System.Net;
using DnsClient;

namespace MultiOrg.Web.Outbound;

/// <summary>Turns a host name into the addresses an outbound connection may go to.</summary>
public interface INameResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct);
}

/// <summary>The operating system's resolver (hosts file, then its name servers): the default.</summary>
public sealed class SystemNameResolver : INameResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => Dns.GetHostAddressesAsync(host, ct);
}

/// <summary>The name servers of <c>Dns:NameServers</c> ("host:port" each), asked for A and AAAA records.</summary>
public sealed class NameServerResolver(ILookupClient lookup) : INameResolver
{
    public const string Setting = "Dns:NameServers";

    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        var v4 = await lookup.QueryAsync(host, QueryType.A, QueryClass.IN, ct);
        var v6 = await lookup.QueryAsync(host, QueryType.AAAA, QueryClass.IN, ct);
        return [.. v4.Answers.ARecords().Select(r => r.Address), .. v6.Answers.AaaaRecords().Select(r => r.Address)];
    }

    /// <summary>
    /// The configured name servers, or none (then the system resolver is used). A bad entry gives none here: the settings
    /// check (<see cref="DnsSettings"/>) stops the host at start with one line naming it.
    /// </summary>
    public static IReadOnlyList<IPEndPoint> ReadSetting(IConfiguration configuration)
    {
        var section = configuration.GetSection(DnsSettings.Section);
        var settings = section.Get<DnsSettings>() ?? new();
        ((Hosting.ISingleValueLists)settings).AddSingleValues(section);
        var endPoints = settings.NameServers.Select(e => IPEndPoint.TryParse(e, out var endPoint) ? endPoint : null).ToList();
        return endPoints.Contains(null) ? [] : [.. endPoints.Select(e => e!.Port == 0 ? new IPEndPoint(e.Address, 53) : e)];
    }

    public static LookupClient CreateLookupClient(IReadOnlyList<IPEndPoint> nameServers) =>
        new(new LookupClientOptions([.. nameServers]) { UseCache = false, Timeout = TimeSpan.FromSeconds(5), Retries = 1 });
}

using System.Net;

namespace MultiOrg.Domain.Security;

/// <summary>
/// Where the server may send a request to an address an organization or a client supplied: public addresses over https;
/// inside the networks the operator allows (<c>OutboundRequests:AllowPrivateNetworks</c>) https or plain http; nothing
/// else, so an organization cannot make the server reach its own machine or its private network.
/// </summary>
public sealed class OutboundAddresses(IEnumerable<IPNetwork> allowedPrivateNetworks)
{
    public const string Setting = "OutboundRequests:AllowPrivateNetworks";

    /// <summary>
    /// Not the public internet: this host, private and link-local networks, carrier-grade NAT, multicast, reserved space,
    /// and the IPv6 forms that carry an IPv4 address a router may unwrap (IPv4-compatible, NAT64, 6to4, Teredo).
    /// IPv4-mapped addresses (::ffff:a.b.c.d) are checked as the IPv4 address they are.
    /// </summary>
    private static readonly IPNetwork[] NotPublic =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("224.0.0.0/4"),
        IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/96"),
        IPNetwork.Parse("::ffff:0:0:0/96"),
        IPNetwork.Parse("64:ff9b::/96"),
        IPNetwork.Parse("64:ff9b:1::/48"),
        IPNetwork.Parse("100::/64"),
        IPNetwork.Parse("2001::/32"),
        IPNetwork.Parse("2002::/16"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fec0::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    /// <summary>No private network allowed: the default.</summary>
    public static OutboundAddresses PublicOnly { get; } = new([]);

    public IReadOnlyList<IPNetwork> AllowedPrivateNetworks { get; } = [.. allowedPrivateNetworks];

    /// <summary>The operator's setting: CIDR ranges (or single addresses), in a list or separated by commas or spaces.</summary>
    public static OutboundAddresses FromSetting(IEnumerable<string?> entries)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in entries.SelectMany(e => (e ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var single))
            {
                networks.Add(new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new InvalidOperationException($"{Setting}: “{entry}” is not an IP range. Use CIDR notation such as 10.20.0.0/16 or fd00::/8.");
            }
        }

        return new OutboundAddresses(networks);
    }

    public static bool IsPublic(IPAddress address)
    {
        var ip = Normalize(address);
        return !NotPublic.Any(n => n.Contains(ip));
    }

    /// <summary>Whether a connection to this address may be opened; plain http only inside an allowed network.</summary>
    public bool Allows(IPAddress address, bool plainHttp)
    {
        var ip = Normalize(address);
        return AllowedPrivateNetworks.Any(n => n.Contains(ip)) || (!plainHttp && IsPublic(ip));
    }

    /// <summary>
    /// What can be told of a typed address before any request: an address given as an IP must be allowed; a host name
    /// over plain http only when the operator allows some private network (where it must then resolve, checked at each
    /// connection).
    /// </summary>
    public bool MayUse(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var plainHttp = address.Scheme != Uri.UriSchemeHttps;
        if (address.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(address.DnsSafeHost, out var ip))
        {
            return Allows(ip, plainHttp);
        }

        return !plainHttp || AllowedPrivateNetworks.Count > 0;
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}

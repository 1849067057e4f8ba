using System.Net;
using MultiOrg.Domain.Errors;

namespace MultiOrg.Domain.Security;

/// <summary>IP allow-lists as CIDR ranges (IPv4 and IPv6), parsed by <see cref="IPNetwork"/>.</summary>
public static class IpAllowLists
{
    /// <summary>
    /// Parses what a person typed (one range a line, or separated by commas or spaces). A bare address is a range of
    /// one (/32 or /128). The first entry that is not a range is refused by name.
    /// </summary>
    public static IReadOnlyList<IPNetwork> Parse(IEnumerable<string?> entries)
    {
        var networks = new List<IPNetwork>();
        foreach (var raw in entries.SelectMany(e => (e ?? "").Split([',', ' ', '\n', '\r', '\t', ';'], StringSplitOptions.RemoveEmptyEntries)))
        {
            var entry = raw.Trim();
            if (!TryParseEntry(entry, out var network))
            {
                throw DomainException.Invalid("ipAllowList",
                    $"“{entry}” is not an IP range. Use CIDR notation such as 203.0.113.0/24 or 2001:db8::/32, or a single address.");
            }

            if (!networks.Contains(network))
            {
                networks.Add(network);
            }
        }

        if (networks.Count > SecurityPolicy.MaxAllowListEntries)
        {
            throw DomainException.Invalid("ipAllowList", $"An allow-list holds at most {SecurityPolicy.MaxAllowListEntries} ranges.");
        }

        return networks;
    }

    public static string Format(IEnumerable<IPNetwork> networks) => string.Join('\n', networks.Select(n => n.ToString()));

    /// <summary>The stored list was validated when saved; anything unreadable there is skipped rather than widening access.</summary>
    public static IReadOnlyList<IPNetwork> ParseStored(string stored) =>
        [.. stored.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => TryParseEntry(e, out var n) ? (IPNetwork?)n : null)
            .OfType<IPNetwork>()];

    /// <summary>An empty list allows everyone; otherwise the address must be known and inside one of the ranges.</summary>
    public static bool Allows(IReadOnlyList<IPNetwork> networks, string? address)
    {
        if (networks.Count == 0)
        {
            return true;
        }

        if (address is null || !IPAddress.TryParse(address, out var ip))
        {
            return false;
        }

        // A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d; the list speaks of them as a.b.c.d.
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        return networks.Any(n => n.Contains(ip));
    }

    private static bool TryParseEntry(string entry, out IPNetwork network)
    {
        if (entry.Contains('/', StringComparison.Ordinal))
        {
            // TryParse refuses ranges with bits set past the prefix (10.0.0.1/8), which would silently mean 10.0.0.0/8.
            return IPNetwork.TryParse(entry, out network);
        }

        if (IPAddress.TryParse(entry, out var single))
        {
            network = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        network = default;
        return false;
    }
}

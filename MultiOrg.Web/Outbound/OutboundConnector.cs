using System.Net;
using System.Net.Sockets;
using MultiOrg.Domain.Security;

namespace MultiOrg.Web.Outbound;

/// <summary>A connection the outbound client would not open; the handler reports it as an <see cref="HttpRequestException"/>.</summary>
public sealed class OutboundAddressRefusedException(string message) : IOException(message);

/// <summary>
/// The outbound client's <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host once, checks every address
/// it resolves to, and connects only to those checked addresses, so a name that answers differently a moment later
/// (DNS rebinding) cannot slip past. It runs for every new connection, redirects included.
/// </summary>
public sealed class OutboundConnector(OutboundAddresses rule, INameResolver resolver)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Connections are pooled per scheme, host and port, so the request that opens one tells its scheme.
        var plainHttp = context.InitialRequestMessage.RequestUri?.Scheme != Uri.UriSchemeHttps;
        var addresses = await CheckAsync(context.DnsEndPoint.Host, plainHttp, ct);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The host's addresses when every one of them may be reached; otherwise refused, naming the first that may not.</summary>
    public async Task<IPAddress[]> CheckAsync(string host, bool plainHttp, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        var addresses = IPAddress.TryParse(name, out var literal) ? [literal] : await resolver.ResolveAsync(name, ct);
        if (addresses.Length == 0)
        {
            throw new OutboundAddressRefusedException($"{name} resolves to no address");
        }

        if (addresses.FirstOrDefault(a => !rule.Allows(a, plainHttp)) is { } refused)
        {
            throw new OutboundAddressRefusedException(
                $"{name} resolves to {refused}, which outbound requests may not reach{(plainHttp ? " over plain http" : "")} (see {OutboundAddresses.Setting})");
        }

        return addresses;
    }
}

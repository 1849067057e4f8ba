using System.Net;
using System.Net.Sockets;

namespace MultiOrg.Tests.Harness;

/// <summary>
/// The load balancer of the two-server tests: one loopback address for the browser that forwards each TCP connection
/// (and so each WebSocket) to the server it points at now. Moving it to another server is what a balancer does when a
/// server goes away; open connections stay where they are until that server closes them.
/// </summary>
public sealed class LoopbackBalancer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TcpClient, byte> open = new();
    private volatile Uri? target;

    public LoopbackBalancer(Uri target)
    {
        this.target = target;
        listener.Start();
        BaseUrl = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        accepting = AcceptAsync();
    }

    public string BaseUrl { get; }

    public void PointAt(Uri server) => target = server;

    /// <summary>The network between the browser and every server fails: open connections drop, new ones are refused.</summary>
    public void Cut()
    {
        target = null;
        foreach (var client in open.Keys)
        {
            client.Close();
        }
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }

            _ = ForwardAsync(client, target);
        }
    }

    private async Task ForwardAsync(TcpClient client, Uri? server)
    {
        open.TryAdd(client, 0);
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                if (server is null)
                {
                    return;
                }

                await upstream.ConnectAsync(server.Host, server.Port, stopping.Token);
                var toServer = client.GetStream().CopyToAsync(upstream.GetStream(), stopping.Token);
                var toClient = upstream.GetStream().CopyToAsync(client.GetStream(), stopping.Token);
                await Task.WhenAny(toServer, toClient);
            }
            catch (Exception error) when (error is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The server went away (or was never there): the browser sees its connection close, as behind a real balancer.
            }
            finally
            {
                open.TryRemove(client, out _);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting;
        stopping.Dispose();
    }
}

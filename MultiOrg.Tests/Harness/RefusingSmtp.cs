using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MultiOrg.Tests.Harness;

/// <summary>
/// An SMTP server that is up and refuses every session: each connection is greeted with 554 and closed, as a mail
/// relay that is down for maintenance or rejects this sender answers. Point <c>Email:Smtp:Host</c>/<c>Port</c> at it.
/// </summary>
public sealed class RefusingSmtp : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();

    public RefusingSmtp()
    {
        listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>The settings that send the app's mail here.</summary>
    public Dictionary<string, string> Settings() => new()
    {
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:Smtp:Security"] = "None",
        ["Email:Smtp:UserName"] = "multiorg",
        ["Email:Smtp:Password"] = SmtpPassword,
    };

    public const string SmtpPassword = "smtp-Passw0rd-never-logged";

    private async Task AcceptAsync()
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                var stream = client.GetStream();
                await stream.WriteAsync(Encoding.ASCII.GetBytes("554 5.3.2 multiorg-test refuses all mail\r\n"), stop.Token);
                await stream.FlushAsync(stop.Token);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        stop.Dispose();
    }
}

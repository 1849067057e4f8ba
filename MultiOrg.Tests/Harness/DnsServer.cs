using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MultiOrg.Tests.Harness;

/// <summary>
/// Debian's dnsmasq on a free loopback port, answering only the names the test gives it (A/AAAA records and TXT records)
/// and nothing else: no upstream servers, no hosts file. Point the app at it with <c>Dns:NameServers</c> =
/// <see cref="NameServer"/>. Killed when disposed; test.sh installs the package when it is missing.
/// </summary>
public sealed class DnsServer : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/dnsmasq";

    private readonly Process process;
    private int disposed;

    private DnsServer(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The value of <c>Dns:NameServers:0</c> for a server that should resolve through this one.</summary>
    public string NameServer => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <param name="addresses">Host name → address (IPv4 or IPv6); the name's subdomains answer the same, as dnsmasq does.</param>
    /// <param name="txtRecords">Name and text of each TXT record (a name may have several; a comma in the text splits it into the record's strings).</param>
    /// <param name="port">
    /// A port from <see cref="ReservePort"/>, for an app configured with it before the records are known (a verification
    /// token is made by the app): one attempt on that port. Null: any free port.
    /// </param>
    public static async Task<DnsServer> StartAsync(
        IReadOnlyDictionary<string, string>? addresses = null, IEnumerable<KeyValuePair<string, string>>? txtRecords = null, int? port = null)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: run ./test.sh (it installs dnsmasq-base) or apt-get install -y dnsmasq-base.");
        }

        if (port is { } fixedPort)
        {
            Release(fixedPort);
            var (server, error) = await TryStartAsync(fixedPort, addresses, txtRecords);
            return server ?? throw new InvalidOperationException("dnsmasq could not start: " + error);
        }

        // A free port is picked and may be taken by another process before dnsmasq binds it: then dnsmasq exits (address
        // in use) before it says it started, and another port is tried.
        var failures = new List<string>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var (started, failure) = await TryStartAsync(FreeUdpPort(), addresses, txtRecords);
            if (started is not null)
            {
                return started;
            }

            failures.Add(failure!);
        }

        throw new InvalidOperationException("dnsmasq could not start: " + string.Join("; ", failures));
    }

    private static async Task<(DnsServer? Started, string? Failure)> TryStartAsync(
        int port, IReadOnlyDictionary<string, string>? addresses, IEnumerable<KeyValuePair<string, string>>? txtRecords)
    {
        var start = new ProcessStartInfo(Executable)
        {
            ArgumentList =
            {
                "--no-daemon", "--conf-file=/dev/null", "--pid-file=", "--user=", "--port=" + port.ToString(CultureInfo.InvariantCulture),
                "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts", "--no-negcache",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, address) in addresses ?? new Dictionary<string, string>())
        {
            start.ArgumentList.Add($"--address=/{name}/{address}");
        }

        foreach (var (name, text) in txtRecords ?? [])
        {
            start.ArgumentList.Add($"--txt-record={name},{text}");
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dnsmasq");
        DataReceivedEventHandler read = (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            // dnsmasq logs this once its sockets are bound.
            if (e.Data?.Contains("started, version", StringComparison.Ordinal) == true)
            {
                started.TrySetResult();
            }
        };
        process.OutputDataReceived += read;
        process.ErrorDataReceived += read;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) =>
        {
            // Exited can come before the last lines are read: wait for the streams, so the reason is in the message.
            process.WaitForExit();
            lock (output)
            {
                started.TrySetException(new InvalidOperationException($"port {port}: dnsmasq exited: {output}"));
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new DnsServer(process, port);
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return (server, null);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            await server.DisposeAsync();
            return (null, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    /// <summary>A UDP port free now, for <c>Dns:NameServers</c> of an app whose name server starts later.</summary>
    /// <summary>
    /// A loopback port held (UDP and TCP, as dnsmasq binds both) until <see cref="StartAsync"/> starts dnsmasq on it: an app
    /// is configured with it long before, and a port merely found free then was taken meanwhile by another test's server.
    /// </summary>
    public static int ReservePort()
    {
        while (true)
        {
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            }
            catch (SocketException)
            {
                udp.Dispose();
                tcp.Dispose();
                continue;
            }

            Reserved[port] = (udp, tcp);
            return port;
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, (Socket Udp, Socket Tcp)> Reserved = new();

    private static void Release(int port)
    {
        if (Reserved.TryRemove(port, out var sockets))
        {
            sockets.Udp.Dispose();
            sockets.Tcp.Dispose();
        }
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MultiOrg.Tests.Harness;

/// <summary>
/// Debian's redis-server on a free loopback port, with nothing written to disk; killed when disposed. test.sh installs
/// the package when it is missing.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string Executable = "/usr/bin/redis-server";

    private readonly Process process;
    private int disposed;

    private RedisServer(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The value of <c>Redis:Configuration</c> for a server that should use this Redis.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: run ./test.sh (it installs redis-server) or apt-get install -y redis-server.");
        }

        // redis-server cannot bind port 0 and report it, so a free port is picked and may be taken by another process
        // before redis binds it: then redis exits (address in use) and another port is tried; a PONG proves the port is ours.
        var failures = new List<string>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var server = await TryStartAsync(FreePort());
            if (server.Started is { } started)
            {
                return started;
            }

            failures.Add(server.Failure!);
        }

        throw new InvalidOperationException("redis-server could not start: " + string.Join("; ", failures));
    }

    /// <summary>A new redis-server on this one's port, once this one is disposed: Redis restarted, empty.</summary>
    public async Task<RedisServer> StartAgainAsync()
    {
        var again = await TryStartAsync(Port);
        return again.Started ?? throw new InvalidOperationException("redis-server could not start again: " + again.Failure);
    }

    private static async Task<(RedisServer? Started, string? Failure)> TryStartAsync(int port)
    {
        var start = new ProcessStartInfo(Executable)
        {
            ArgumentList = { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, port);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                await server.DisposeAsync();
                return (null, $"port {port}: exited with {process.ExitCode}");
            }

            if (await AnswersPingAsync(port) && !process.HasExited)
            {
                return (server, null);
            }

            await Task.Delay(50);
        }

        await server.DisposeAsync();
        return (null, $"port {port}: did not answer within 30 s");
    }

    private static async Task<bool> AnswersPingAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            using var stream = client.GetStream();
            stream.ReadTimeout = 2000;
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            return System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception error) when (error is SocketException or IOException or TimeoutException)
        {
            return false;
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

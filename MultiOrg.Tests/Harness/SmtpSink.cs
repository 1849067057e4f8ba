using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace MultiOrg.Tests.Harness;

/// <summary>
/// A real SMTP server (the SmtpServer package) on a loopback port that keeps every message it accepts. While
/// <see cref="Refusing"/>, it answers each message with 421 (service not available, try later), as a relay that is
/// overloaded or down for maintenance does; the connection and greeting work, only the mail is not taken.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task running;
    private readonly Store store;

    public SmtpSink(bool refusing = false)
    {
        Port = FreePort();
        store = new Store { Refusing = refusing };
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(store);
        var server = new SmtpServer.SmtpServer(options, services);
        running = server.StartAsync(stop.Token);
    }

    public int Port { get; }

    /// <summary>Whether the next messages are answered 421 instead of taken.</summary>
    public bool Refusing
    {
        get => store.Refusing;
        set => store.Refusing = value;
    }

    /// <summary>How many messages were answered 421.</summary>
    public int Refused => store.RefusedCount;

    public IReadOnlyList<MimeMessage> Messages => [.. store.Accepted];

    /// <summary>The messages taken for this address.</summary>
    public IReadOnlyList<MimeMessage> To(string email) =>
        [.. store.Accepted.Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, email, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>The settings that send the app's mail here (no authentication, no TLS: a loopback test server).</summary>
    public Dictionary<string, string> Settings() => new()
    {
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:Smtp:Security"] = "None",
    };

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        stop.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private sealed class Store : MessageStore
    {
        private volatile bool refusing;
        private int refused;

        public ConcurrentQueue<MimeMessage> Accepted { get; } = new();

        public bool Refusing
        {
            get => refusing;
            set => refusing = value;
        }

        public int RefusedCount => Volatile.Read(ref refused);

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (refusing)
            {
                Interlocked.Increment(ref refused);
                return new SmtpResponse(SmtpReplyCode.ServiceUnavailable, "4.3.2 multiorg-test is not taking mail right now, try later");
            }

            using var stream = new MemoryStream(buffer.ToArray());
            Accepted.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}

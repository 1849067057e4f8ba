using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace MultiOrg.Bench;

/// <summary>
/// Debian's PostgreSQL as a throwaway cluster for the fault figures, started the way the test harness starts its own
/// (MultiOrg.Tests/Harness/PostgresServer.cs: <c>runuser -u postgres</c> initdb and postgres, a temp folder, a loopback
/// port) but with PostgreSQL's durable defaults (fsync, synchronous commit): the write rates are those of a real server.
/// </summary>
internal sealed class BenchPostgres : IDisposable
{
    private readonly string bin;
    private readonly string folder;
    private readonly Process process;

    private BenchPostgres(string bin, string folder, Process process, int port)
    {
        this.bin = bin;
        this.folder = folder;
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public static BenchPostgres Start()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order().LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL is missing (/usr/lib/postgresql/*/bin/initdb): apt-get install -y postgresql.");
        }

        var folder = Path.Combine(Path.GetTempPath(), $"multiorg-bench-pg-{Guid.NewGuid():N}");
        Run(Command("mkdir", "-m", "700", folder));
        var data = Path.Combine(folder, "data");
        Run(Command(Path.Combine(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"));
        var port = ScaleBench.FreePort();
        var process = Process.Start(Command(
            Path.Combine(bin, "postgres"), "-D", data, "-p", port.ToString(CultureInfo.InvariantCulture), "-k", folder,
            "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", "-c", "log_min_messages=warning"))
            ?? throw new InvalidOperationException("Could not start postgres");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new BenchPostgres(bin, folder, process, port);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!server.Answers())
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                server.Dispose();
                throw new InvalidOperationException("PostgreSQL did not start within 60 s");
            }

            Thread.Sleep(100);
        }

        return server;
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database }.ConnectionString;

    public void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            Run(Command(Path.Combine(bin, "pg_ctl"), "stop", "-D", Path.Combine(folder, "data"), "-m", "immediate", "-w"));
        }
        catch (InvalidOperationException)
        {
            // Not running.
        }

        ScaleBench.Stop(process);
        Directory.Delete(folder, recursive: true);
    }

    private bool Answers()
    {
        try
        {
            using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false;Timeout=2");
            connection.Open();
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    private static void Run(ProcessStartInfo start)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {error}{output.Result}");
        }
    }

    /// <summary>As the <c>postgres</c> user when run as root (initdb and postgres refuse root).</summary>
    private static ProcessStartInfo Command(string program, params string[] arguments)
    {
        var root = Environment.UserName == "root";
        var start = new ProcessStartInfo(root ? "runuser" : program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (root ? new[] { "-u", "postgres", "--", program } : []).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}

/// <summary>Debian's redis-server on one loopback port, nothing on disk; can be stopped (SIGKILL) and started again on the same port.</summary>
internal sealed class BenchRedis : IDisposable
{
    private Process? process;

    public int Port { get; } = ScaleBench.FreePort();

    public string Configuration => $"127.0.0.1:{Port}";

    public void Start() =>
        process = ScaleBench.Start("/usr/bin/redis-server", ["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], null);

    /// <summary>Waits until the server answers PING; returns false after the timeout.</summary>
    public async Task<bool> WaitAnswersAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(System.Net.IPAddress.Loopback, Port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[16];
                var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(1));
                if (System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (Exception error) when (error is System.Net.Sockets.SocketException or IOException or TimeoutException)
            {
                // Not yet.
            }

            await Task.Delay(20);
        }

        return false;
    }

    public void Kill()
    {
        if (process is not null)
        {
            ScaleBench.Stop(process);
            process.Dispose();
            process = null;
        }
    }

    public void Dispose() => Kill();
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace MultiOrg.Tests.Harness;

/// <summary>
/// Debian's PostgreSQL as a throwaway cluster: one per test run, started on first use in a temp folder on a free
/// loopback port, stopped and removed when the test process ends. <c>initdb</c> and <c>postgres</c> refuse to run as
/// root, so as root both run as the <c>postgres</c> user (<c>runuser</c>). Durability is switched off (fsync, full
/// page writes): the cluster never outlives the run. test.sh installs the package when it is missing.
/// </summary>
public sealed class PostgresServer
{
    /// <summary>The template every test database is copied from; migrated once per run.</summary>
    public const string TemplateName = "multiorg_template";

    private static readonly Lazy<PostgresServer> Instance = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Process process;
    private readonly string bin;
    private readonly string folder;
    private int stopped;

    private PostgresServer(Process process, string bin, string folder, int port)
    {
        this.process = process;
        this.bin = bin;
        this.folder = folder;
        Port = port;
    }

    /// <summary>The run's cluster, started by the first test that needs it.</summary>
    public static PostgresServer Shared => Instance.Value;

    public int Port { get; }

    /// <summary>A connection string for one database of this cluster (the superuser; trust on loopback).</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = database,

            // A test's pool is cleared before its database is dropped; connections idle longer than this go anyway.
            ConnectionIdleLifetime = 30,
        }.ConnectionString;

    /// <summary>Runs one statement on the cluster's maintenance database (CREATE / DROP DATABASE).</summary>
    public void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>Drops a database after closing this process's pooled connections to it (and ending anyone else's).</summary>
    public void Drop(string database)
    {
        using (var connection = new NpgsqlConnection(ConnectionString(database)))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        Execute($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    }

    /// <summary>The data of one database as pg_dump writes it (plain SQL text).</summary>
    public byte[] Dump(string database)
    {
        var start = new ProcessStartInfo(Path.Combine(bin, "pg_dump"))
        {
            ArgumentList = { "--data-only", "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", database },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start pg_dump");
        using var memory = new MemoryStream();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(memory);
        process.WaitForExit();
        return process.ExitCode == 0 ? memory.ToArray() : throw new InvalidOperationException($"pg_dump exited with {process.ExitCode}: {error.Result}");
    }

    private static string Binaries()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).ToList()
            : [];
        return versions.Count > 0
            ? Path.Combine(versions[0], "bin")
            : throw new InvalidOperationException("PostgreSQL is missing (/usr/lib/postgresql/*/bin/initdb): run ./test.sh (it installs postgresql) or apt-get install -y postgresql.");
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static PostgresServer Start()
    {
        var bin = Binaries();
        RemoveOrphans(bin);
        var folder = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Guid.NewGuid():N}");

        // The folder belongs to the user the server runs as: made by that user in the (world-writable) temp folder.
        Run("mkdir", "-m", "700", folder);
        File.WriteAllText(Path.Combine(folder, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var data = Path.Combine(folder, "data");
        Run(Path.Combine(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");

        var failures = new List<string>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var port = FreePort();
            var started = StartServer(bin, folder, data, port, out var failure);
            if (started is not null)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => started.Stop();
                return started;
            }

            failures.Add(failure!);
        }

        Directory.Delete(folder, recursive: true);
        throw new InvalidOperationException("PostgreSQL could not start: " + string.Join("; ", failures));
    }

    private const string FolderPrefix = "multiorg-pg-";

    private const string OwnerFile = "owner.pid";

    /// <summary>
    /// A test process that was killed (a run cancelled, a hang ended) never ran its exit handler: its cluster is stopped
    /// and removed by the next run. Only clusters whose owning process is gone, so parallel runs keep theirs.
    /// </summary>
    private static void RemoveOrphans(string bin)
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            try
            {
                RemoveOrphan(bin, folder);
            }
            catch (IOException)
            {
                // Another test process, started at the same moment, is removing it.
            }
        }
    }

    private static void RemoveOrphan(string bin, string folder)
    {
        var owner = Path.Combine(folder, OwnerFile);
        if (!File.Exists(owner) || !int.TryParse(File.ReadAllText(owner), out var pid) || Directory.Exists($"/proc/{pid}"))
        {
            return;
        }

        if (File.Exists(Path.Combine(folder, "data", "postmaster.pid")))
        {
            try
            {
                Run(Path.Combine(bin, "pg_ctl"), "stop", "-D", Path.Combine(folder, "data"), "-m", "immediate", "-w");
            }
            catch (InvalidOperationException)
            {
                // Not running any more.
            }
        }

        Directory.Delete(folder, recursive: true);
    }

    private static PostgresServer? StartServer(string bin, string folder, string data, int port, out string? failure)
    {
        var log = new System.Text.StringBuilder();
        var process = Process.Start(Command(
            Path.Combine(bin, "postgres"), "-D", data, "-p", port.ToString(CultureInfo.InvariantCulture), "-k", folder,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
            "-c", "max_connections=300", "-c", "shared_buffers=64MB", "-c", "log_min_messages=warning"))
            ?? throw new InvalidOperationException("Could not start postgres");
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PostgresServer(process, bin, folder, port);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            if (server.Answers())
            {
                failure = null;
                return server;
            }

            Thread.Sleep(50);
        }

        server.Kill();
        lock (log)
        {
            failure = $"port {port}: {(process.HasExited ? $"exited with {process.ExitCode}" : "did not answer within 60 s")}: {log}";
        }

        return null;
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

    /// <summary>
    /// An immediate stop (nothing needs to survive), then the folder goes. The test host gives exit handlers little time
    /// and ends its process tree, so both run in a detached shell (setsid -f) that finishes on its own; a cluster left
    /// all the same (the test process killed) is removed by the next run (<see cref="RemoveOrphans"/>).
    /// </summary>
    private void Stop()
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        var stop = $"{Path.Combine(bin, "pg_ctl")} stop -D {Path.Combine(folder, "data")} -m immediate -w";
        var script = $"{(IsRoot ? "runuser -u postgres -- " : "")}{stop}; rm -rf {folder}";
        using var detached = Process.Start(new ProcessStartInfo("setsid") { ArgumentList = { "-f", "sh", "-c", script }, UseShellExecute = false });
    }

    private void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(Command(program, arguments)) ?? throw new InvalidOperationException($"Could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {error}{output.Result}");
        }
    }

    /// <summary>The program as the <c>postgres</c> user when the tests run as root (initdb and postgres refuse root).</summary>
    private static ProcessStartInfo Command(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(IsRoot ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (IsRoot)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

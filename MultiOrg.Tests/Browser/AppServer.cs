using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Browser;

/// <summary>
/// The real app as its own process on a free loopback port, over a fresh SQLite file (migrated at start, demo data
/// on request). Started from the build output next to the tests, the way the README's run command starts it. Several
/// servers may share one database file and one Redis (<see cref="AppServerOptions"/>), as servers behind a load balancer do.
/// </summary>
public sealed class AppServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly string databasePath;
    private readonly bool ownsDatabase;

    private readonly TaskCompletionSource<string[]> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> addresses = [];

    private AppServer(Process process, string databasePath, bool ownsDatabase, Mailbox mailbox)
    {
        this.process = process;
        this.databasePath = databasePath;
        this.ownsDatabase = ownsDatabase;
        Mailbox = mailbox;
    }

    /// <summary>The SQLite file this server uses (shared when several servers were started over it).</summary>
    public string DatabasePath => databasePath;

    public bool HasExited => process.HasExited;

    /// <summary>The address Kestrel bound (port 0: the system picks a free port, so no other process can take it first).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The management address (Metrics:Urls, port 0 here too) where a scraper reads /metrics; the public one never serves it.</summary>
    public string MetricsUrl { get; private set; } = "";

    /// <summary>The server's mail pickup folder (Email:PickupDirectory): every mail it sends lands here as an .eml file.</summary>
    public Mailbox Mailbox { get; }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static async Task<AppServer> StartAsync(bool seedDemoData, AppServerOptions? options = null)
    {
        var root = RepositoryRoot();
        var webDll = Path.Combine(AppContext.BaseDirectory, "MultiOrg.Web.dll");
        var ownsDatabase = options?.DatabasePath is null && options?.Database is null;
        var databasePath = options?.DatabasePath ?? Path.Combine(Path.GetTempPath(), $"multiorg-browser-{Guid.NewGuid():N}.db");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { webDll, "--urls", "http://127.0.0.1:0", "--contentRoot", Path.Combine(root, "MultiOrg.Web") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.Combine(root, "MultiOrg.Web"),
        };

        // Development serves the static web assets (MudBlazor's CSS/JS) straight from the build output.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Database__Provider"] = (options?.Database?.Provider.Provider ?? MultiOrg.Data.DatabaseProvider.Sqlite).ToString();
        start.Environment["ConnectionStrings__MultiOrg"] = options?.Database?.ConnectionString ?? $"Data Source={databasePath}";
        start.Environment["Database__SeedDemoData"] = seedDemoData ? "true" : "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        // "Now listening on: …" tells which port the system gave the server.
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        start.Environment["RateLimits__SignInPerMinute"] = "100000";
        start.Environment["RateLimits__AccountPerMinute"] = "100000";
        start.Environment["RateLimits__ClientRegistrationPerMinute"] = "100000";
        var mailbox = new Mailbox();
        start.Environment["Email__PickupDirectory"] = mailbox.Directory;

        // Kestrel binds the public address, then the management one: the second "Now listening on" is where /metrics is.
        start.Environment["Metrics__Urls"] = "http://127.0.0.1:0";
        foreach (var (key, value) in options?.Settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start MultiOrg.Web");
        var server = new AppServer(process, databasePath, ownsDatabase, mailbox);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilHealthyAsync(options?.StartTimeout ?? TimeSpan.FromSeconds(60));
        }
        catch
        {
            // A server that never became healthy must not outlive the test run.
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>The circuits this server holds now (Blazor's <c>aspnetcore.components.circuit.active</c>, read from its /metrics).</summary>
    public async Task<double> ActiveCircuitsAsync()
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync($"{MetricsUrl}/metrics");
        return text.Split('\n')
            .Where(l => l.StartsWith("aspnetcore_components_circuit_active", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The server goes away at once (as a crashed or removed server does); its circuits' browsers lose their connection.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
        Mailbox.Dispose();
        if (ownsDatabase)
        {
            DeleteDatabase(databasePath);
        }
    }

    public static void DeleteDatabase(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        var exited = process.WaitForExitAsync();
        var bound = await Task.WhenAny(listening.Task, exited, Task.Delay(timeout));
        if (bound != listening.Task)
        {
            throw new InvalidOperationException(process.HasExited
                ? $"MultiOrg.Web exited with {process.ExitCode}:\n{Output}"
                : $"MultiOrg.Web did not listen within {timeout.TotalSeconds:0} s:\n{Output}");
        }

        var urls = await listening.Task;
        BaseUrl = urls[0];
        MetricsUrl = urls[1];
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"MultiOrg.Web exited with {process.ExitCode}:\n{Output}");
            }

            try
            {
                var response = await http.GetAsync($"{BaseUrl}/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Still starting.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"MultiOrg.Web did not become healthy within {timeout.TotalSeconds:0} s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }

        const string Listening = "Now listening on: ";
        var at = line.IndexOf(Listening, StringComparison.Ordinal);
        if (at >= 0)
        {
            lock (addresses)
            {
                addresses.Add(line[(at + Listening.Length)..].Trim());
                if (addresses.Count == 2)
                {
                    listening.TrySetResult([.. addresses]);
                }
            }
        }
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MultiOrg.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("MultiOrg.sln not found above the test output.");
    }
}

/// <summary>How to start one of several servers: over a database another server made, with extra settings (Redis, job intervals).</summary>
public sealed record AppServerOptions
{
    /// <summary>An existing (or to be created) SQLite file shared with other servers; the caller deletes it.</summary>
    public string? DatabasePath { get; init; }

    /// <summary>A database (PostgreSQL for two servers) shared with other servers instead of a file; the caller disposes it.</summary>
    public TestDatabase? Database { get; init; }

    /// <summary>Configuration keys (<c>Redis:Configuration</c>) and values, passed as environment variables.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>How long to wait for the server to answer /health (longer while the whole suite competes for two cores).</summary>
    public TimeSpan? StartTimeout { get; init; }
}

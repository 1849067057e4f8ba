using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MultiOrg.Tests.Browser;

/// <summary>
/// The real app as its own process on a free loopback port, over a fresh SQLite file (migrated at start, demo data
/// on request). Started from the build output next to the tests, the way the README's run command starts it.
/// </summary>
public sealed class AppServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly string databasePath;

    private AppServer(Process process, string baseUrl, string databasePath, Support.Mailbox mailbox)
    {
        this.process = process;
        BaseUrl = baseUrl;
        this.databasePath = databasePath;
        Mailbox = mailbox;
    }

    public string BaseUrl { get; }

    /// <summary>The server's mail pickup folder (Email:PickupDirectory): every mail it sends lands here as an .eml file.</summary>
    public Support.Mailbox Mailbox { get; }

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

    public static async Task<AppServer> StartAsync(bool seedDemoData)
    {
        var root = RepositoryRoot();
        var webDll = Path.Combine(AppContext.BaseDirectory, "MultiOrg.Web.dll");
        var port = FreePort();
        var databasePath = Path.Combine(Path.GetTempPath(), $"multiorg-browser-{Guid.NewGuid():N}.db");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { webDll, "--urls", $"http://127.0.0.1:{port}", "--contentRoot", Path.Combine(root, "MultiOrg.Web") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.Combine(root, "MultiOrg.Web"),
        };

        // Development serves the static web assets (MudBlazor's CSS/JS) straight from the build output.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["ConnectionStrings__MultiOrg"] = $"Data Source={databasePath}";
        start.Environment["Database__SeedDemoData"] = seedDemoData ? "true" : "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["RateLimits__SignInPerMinute"] = "100000";
        var mailbox = new Support.Mailbox();
        start.Environment["Email__PickupDirectory"] = mailbox.Directory;

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start MultiOrg.Web");
        var server = new AppServer(process, $"http://127.0.0.1:{port}", databasePath, mailbox);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilHealthyAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Mailbox.Dispose();
        foreach (var file in new[] { databasePath, databasePath + "-wal", databasePath + "-shm" })
        {
            File.Delete(file);
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
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

        throw new TimeoutException($"MultiOrg.Web did not become healthy within 60 s:\n{Output}");
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
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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

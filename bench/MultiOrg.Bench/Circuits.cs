using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace MultiOrg.Bench;

/// <summary>
/// End to end: the real app as its own process over a fresh SQLite file, and N real Chromium pages left idle on the
/// dashboard (one Blazor circuit each). Memory is read after a forced full GC: managed heap from dotnet-counters
/// (and gcdump's live bytes as a cross-check), working set from /proc/PID/status.
/// </summary>
internal static partial class Circuits
{
    public static int[] Counts { get; set; } = [10, 50, 100];

    private const string Password = "Bench-Passw0rd!";

    public static string ResultsPath => Path.Combine(BenchPaths.Results, "circuits.json");

    public static async Task<List<Figure>> RunAsync()
    {
        var root = BenchPaths.RepositoryRoot;
        var webDll = Path.Combine(root, "MultiOrg.Web", "bin", "Release", "net10.0", "MultiOrg.Web.dll");
        if (!File.Exists(webDll))
        {
            throw new FileNotFoundException("Build the solution in Release first (bench/run.sh does).", webDll);
        }

        var databasePath = Path.Combine(BenchPaths.Data, "circuits.db");
        foreach (var stale in new[] { databasePath, databasePath + "-wal", databasePath + "-shm" })
        {
            File.Delete(stale);
        }

        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { webDll, "--urls", baseUrl, "--contentRoot", Path.Combine(root, "MultiOrg.Web") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.Combine(root, "MultiOrg.Web"),
        };

        // As the browser tests start it: Development serves MudBlazor's static assets from the build output.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["ConnectionStrings__MultiOrg"] = $"Data Source={databasePath}";
        start.Environment["Database__SeedDemoData"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["RateLimits__SignInPerMinute"] = "100000";
        start.Environment["Metrics__Urls"] = "http://127.0.0.1:0"; // not scraped here; the default port may be taken

        using var server = Process.Start(start) ?? throw new InvalidOperationException("Could not start MultiOrg.Web");
        var log = new StringBuilder();
        server.OutputDataReceived += (_, e) => Append(log, e.Data);
        server.ErrorDataReceived += (_, e) => Append(log, e.Data);
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var figures = new List<Figure>();
        try
        {
            await WaitHealthyAsync(server, baseUrl, log);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await BenchBrowser.LaunchAsync(playwright);

            // One signed-in person (cookie shared by every page of the context) with one organization and a few notes.
            var context = await BenchBrowser.ContextAsync(browser, baseUrl);
            var organizationId = await SeedAsync(context);
            var dashboard = $"/organizations/{organizationId}/dashboard";

            var pages = new List<IPage>();
            await OpenAsync(context, pages, dashboard, 1);
            await Task.Delay(2000);
            var baseline = await MeasureAsync(server.Id);
            Console.WriteLine($"  1 circuit (baseline): managed {baseline.Managed / 1024.0 / 1024:F1} MiB, live {baseline.Live / 1024.0 / 1024:F1} MiB, working set {baseline.WorkingSet / 1024.0 / 1024:F1} MiB");

            foreach (var count in Counts)
            {
                var clock = Stopwatch.StartNew();
                await OpenAsync(context, pages, dashboard, count);
                Console.WriteLine($"  {count} pages open on the dashboard in {clock.Elapsed.TotalSeconds:F1} s; settling");
                await Task.Delay(3000);
                var now = await MeasureAsync(server.Id);
                var added = count - 1;
                var managed = (now.Managed - baseline.Managed) / added;
                var live = (now.Live - baseline.Live) / added;
                var workingSet = (now.WorkingSet - baseline.WorkingSet) / added;
                Console.WriteLine($"  {count} circuits: managed {now.Managed / 1024.0 / 1024:F1} MiB, working set {now.WorkingSet / 1024.0 / 1024:F1} MiB; per circuit: managed {managed / 1024:F0} KB, live {live / 1024:F0} KB, working set {workingSet / 1024:F0} KB");
                var label = count.ToString(CultureInfo.InvariantCulture);
                if (count == Counts[^1])
                {
                    WriteHeapDiff(baseline, now, count);
                }

                figures.Add(new Figure("circuits", "Managed heap per idle circuit (dotnet-counters)", count, label, managed / 1024, managed / 1024, managed / 1024, 1, "KB", $"heap {now.Managed / 1024.0 / 1024:F1} MiB"));
                figures.Add(new Figure("circuits", "Live managed objects per idle circuit (gcdump)", count, label, live / 1024, live / 1024, live / 1024, 1, "KB", $"live {now.Live / 1024.0 / 1024:F1} MiB"));
                figures.Add(new Figure("circuits", "Working set per idle circuit (VmRSS)", count, label, workingSet / 1024, workingSet / 1024, workingSet / 1024, 1, "KB", $"RSS {now.WorkingSet / 1024.0 / 1024:F1} MiB"));
            }

            if (Environment.GetEnvironmentVariable("BENCH_CIRCUIT_DUMP") is { Length: > 0 } dumpPath)
            {
                // For investigation only: a full process dump to read with `dotnet dotnet-dump analyze`.
                await ToolAsync("dotnet-dump", "collect", "-p", server.Id.ToString(CultureInfo.InvariantCulture), "-o", dumpPath);
            }

            figures.Add(new Figure("circuits", "Baseline with 1 circuit: managed heap", 1, "1", baseline.Managed / 1024, baseline.Managed / 1024, baseline.Managed / 1024, 1, "KB"));
            figures.Add(new Figure("circuits", "Baseline with 1 circuit: working set", 1, "1", baseline.WorkingSet / 1024, baseline.WorkingSet / 1024, baseline.WorkingSet / 1024, 1, "KB"));
            await context.CloseAsync();
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }
        }

        return figures;
    }

    private static async Task<Guid> SeedAsync(IBrowserContext context)
    {
        // The API with a bearer token creates the organization and its notes; the pages then sign in with the form.
        var email = "circuits@bench.test";
        var api = context.APIRequest;
        await Expect(api.PostAsync("/api/auth/register", new() { DataObject = new { email, password = Password } }), "register");
        var login = await Expect(api.PostAsync("/api/auth/login", new() { DataObject = new { email, password = Password } }), "sign in");
        using var token = JsonDocument.Parse(await login.TextAsync());
        var headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token.RootElement.GetProperty("accessToken").GetString()}" };
        var created = await Expect(api.PostAsync("/api/organizations", new() { DataObject = new { name = "Circuit Bench" }, Headers = headers }), "create organization");
        using var json = JsonDocument.Parse(await created.TextAsync());
        var organizationId = json.RootElement.GetProperty("id").GetGuid();
        for (var i = 0; i < 5; i++)
        {
            await Expect(api.PostAsync($"/api/organizations/{organizationId}/notes", new() { DataObject = new { text = $"Benchmark note {i}" }, Headers = headers }), "add note");
        }

        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.Locator("[name='Input.Email']").FillAsync(email);
        await page.Locator("[name='Input.Password']").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/organizations/", StringComparison.Ordinal));
        await page.CloseAsync();
        return organizationId;
    }

    private static async Task<IAPIResponse> Expect(Task<IAPIResponse> request, string what)
    {
        var response = await request;
        if (!response.Ok)
        {
            throw new InvalidOperationException($"{what} failed: {response.Status} {await response.TextAsync()}");
        }

        return response;
    }

    /// <summary>Opens pages until <paramref name="count"/> are open, each on the dashboard with its circuit connected.</summary>
    private static async Task OpenAsync(IBrowserContext context, List<IPage> pages, string url, int count)
    {
        while (pages.Count < count)
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(url);
            await page.Locator("[data-circuit='ready']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
            await page.Locator("[data-testid='stat-members']").WaitForAsync();
            pages.Add(page);
        }
    }

    private sealed record Memory(double Managed, double Live, double WorkingSet, Dictionary<string, (double Bytes, double Count)> Types);

    public static string HeapPath => Path.Combine(BenchPaths.Results, "circuit-heap.md");

    /// <summary>The managed types that grow with circuits: gcdump's heap statistics at N circuits minus at one, per circuit.</summary>
    private static void WriteHeapDiff(Memory baseline, Memory now, int circuits)
    {
        var added = circuits - 1;
        var rows = now.Types
            .Select(t => (Type: t.Key, Bytes: (t.Value.Bytes - baseline.Types.GetValueOrDefault(t.Key).Bytes) / added, Count: (t.Value.Count - baseline.Types.GetValueOrDefault(t.Key).Count) / added))
            .Where(r => r.Bytes > 0)
            .OrderByDescending(r => r.Bytes)
            .Take(40)
            .ToList();
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Managed heap growth per idle circuit ({circuits} circuits against 1, after a full GC)")
            .AppendLine()
            .AppendLine("From `dotnet-gcdump report` (heap statistics by type): bytes = the report's size column times the count, which is")
            .AppendLine("approximate for the size-bucketed rows such as `System.String (Bytes > 10K)` (a dump shows those strings are the")
            .AppendLine("24,030-byte theme `<style>` of `MudThemeProvider`, one per circuit). Each object counts its own size only: arrays")
            .AppendLine("show their full size, the objects holding them only their fields.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Total live managed bytes per circuit: {(now.Live - baseline.Live) / added / 1024:N0} KB.")
            .AppendLine()
            .AppendLine("| Type | Bytes per circuit | Objects per circuit |")
            .AppendLine("| --- | ---: | ---: |");
        foreach (var row in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| `{row.Type.Replace("|", "\\|", StringComparison.Ordinal)}` | {row.Bytes:N0} | {row.Count:N1} |");
        }

        // The components each circuit keeps alive (each with its retained render tree and builders).
        var components = now.Types
            .Where(t => (t.Key.StartsWith("MudBlazor.Mud", StringComparison.Ordinal) || t.Key.StartsWith("MultiOrg.Web.Components", StringComparison.Ordinal))
                && !t.Key.Contains("+<", StringComparison.Ordinal) && !t.Key.Contains("<>", StringComparison.Ordinal))
            .Select(t => (Type: t.Key.Split("  ")[0], Count: (t.Value.Count - baseline.Types.GetValueOrDefault(t.Key).Count) / added))
            .Where(r => r.Count >= 0.9)
            .OrderByDescending(r => r.Count)
            .ToList();
        var states = now.Types.Where(t => t.Key.StartsWith("Microsoft.AspNetCore.Components.Server.Circuits.RemoteComponentState", StringComparison.Ordinal))
            .Sum(t => (t.Value.Count - baseline.Types.GetValueOrDefault(t.Key).Count) / added);
        text.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"## Components per circuit: {states:N0} in all (RemoteComponentState)")
            .AppendLine()
            .AppendLine("| Component type (MudBlazor and MultiOrg) | Instances per circuit |")
            .AppendLine("| --- | ---: |");
        foreach (var row in components)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| `{row.Type}` | {row.Count:N1} |");
        }

        // The findings written by hand below the generated tables (from "## Per-circuit compiled code" on) stay.
        var kept = File.Exists(HeapPath) ? File.ReadAllText(HeapPath) : "";
        var at = kept.IndexOf(HandWritten, StringComparison.Ordinal);
        if (at >= 0)
        {
            text.AppendLine().Append(kept[at..]);
        }

        File.WriteAllText(HeapPath, text.ToString());
    }

    private const string HandWritten = "## Per-circuit compiled code";

    private static Dictionary<string, (double Bytes, double Count)> HeapTypes(string report)
    {
        var types = new Dictionary<string, (double Bytes, double Count)>();
        foreach (Match match in HeapTypeLine().Matches(report))
        {
            // gcdump's heapstat lists the average size of one object, then the count.
            var count = double.Parse(match.Groups[2].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            var bytes = count * double.Parse(match.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            var name = match.Groups[3].Value.Trim();
            var previous = types.GetValueOrDefault(name);
            types[name] = (previous.Bytes + bytes, previous.Count + count);
        }

        return types;
    }

    /// <summary>Forces a full GC (gcdump), then reads the managed heap (dotnet-counters) and the working set (/proc).</summary>
    private static async Task<Memory> MeasureAsync(int pid)
    {
        var report = await ToolAsync("dotnet-gcdump", "report", "-p", pid.ToString(CultureInfo.InvariantCulture));
        await File.WriteAllTextAsync(Path.Combine(BenchPaths.Data, "gcdump-last.txt"), report);
        var liveMatch = GcHeapBytes().Match(report);
        var live = liveMatch.Success ? double.Parse(liveMatch.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) : double.NaN;

        var output = Path.Combine(BenchPaths.Data, "counters.json");
        File.Delete(output);
        await ToolAsync("dotnet-counters", "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--counters", "System.Runtime", "--format", "json", "-o", output, "--duration", "00:00:00:04");
        var managed = LastHeapSize(output);
        var workingSet = VmRss(pid);
        return new Memory(managed, live, workingSet, HeapTypes(report));
    }

    /// <summary>The sum over generations of dotnet.gc.last_collection.heap.size at the last sample.</summary>
    private static double LastHeapSize(string path)
    {
        var text = File.ReadAllText(path).TrimEnd();
        if (!text.EndsWith('}'))
        {
            text = text.TrimEnd(',') + "]}";
        }

        using var json = JsonDocument.Parse(text);
        var last = new Dictionary<string, double>();
        foreach (var e in json.RootElement.GetProperty("Events").EnumerateArray())
        {
            if (e.GetProperty("name").GetString()?.StartsWith("dotnet.gc.last_collection.heap.size", StringComparison.Ordinal) == true)
            {
                last[e.GetProperty("tags").GetString() ?? ""] = e.GetProperty("value").GetDouble();
            }
        }

        return last.Count == 0 ? double.NaN : last.Values.Sum();
    }

    private static double VmRss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return double.NaN;
    }

    /// <summary>Runs a tool of bench/dotnet-tools.json (dotnet-counters, dotnet-gcdump) and returns its output.</summary>
    private static async Task<string> ToolAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = BenchPaths.Bench };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start dotnet {arguments[0]}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} exited {process.ExitCode}: {await stderr}{await stdout}");
        }

        return await stdout;
    }

    private static async Task WaitHealthyAsync(Process server, string baseUrl, StringBuilder log)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"MultiOrg.Web exited with {server.ExitCode}:\n{log}");
            }

            try
            {
                if ((await http.GetAsync(new Uri($"{baseUrl}/health"))).StatusCode == HttpStatusCode.OK)
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

        throw new TimeoutException($"MultiOrg.Web did not become healthy within 60 s:\n{log}");
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^\s*([\d,]+)\s+([\d,]+)\s+(.+?)\s*$", RegexOptions.Multiline)]
    private static partial Regex HeapTypeLine();

    [GeneratedRegex(@"([\d,]+)\s+GC Heap bytes")]
    private static partial Regex GcHeapBytes();
}

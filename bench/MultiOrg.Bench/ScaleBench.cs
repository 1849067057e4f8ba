using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace MultiOrg.Bench;

/// <summary>
/// Issue 14's figures. Two real servers over one SQLite file and one redis-server (Debian's, on a loopback port):
/// Mia keeps <see cref="IdlePages"/> Chromium tabs open on server B while Olivia changes Mia's role on server A
/// through the JSON API, <see cref="Changes"/> times; each time the clock runs from the request to the moment Mia's
/// tab on B shows the new role (its navigation gains or loses "Audit log"). With the idle-circuit figures of the
/// <c>circuits</c> command it writes bench/results/scale.md: memory per idle circuit and circuits within 1 GB.
/// </summary>
internal static class ScaleBench
{
    public const int IdlePages = 10;
    public const int Changes = 40;

    public static string ResultsPath => Path.Combine(BenchPaths.Results, "scale.json");

    public static string ReportPath => Path.Combine(BenchPaths.Results, "scale.md");

    public static async Task<List<Figure>> RunAsync()
    {
        var root = BenchPaths.RepositoryRoot;
        var webDll = Path.Combine(root, "MultiOrg.Web", "bin", "Release", "net10.0", "MultiOrg.Web.dll");
        if (!File.Exists(webDll))
        {
            throw new FileNotFoundException("Build the solution in Release first (bench/run.sh does).", webDll);
        }

        var databasePath = Path.Combine(BenchPaths.Data, "scale.db");
        Delete(databasePath);
        var redisPort = FreePort();
        using var redis = Start("/usr/bin/redis-server", ["--port", redisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], null);
        var servers = new List<Process>();
        try
        {
            var settings = new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Database__Provider"] = "Sqlite",
                ["ConnectionStrings__MultiOrg"] = $"Data Source={databasePath}",
                ["Redis__Configuration"] = $"127.0.0.1:{redisPort}",
                ["Logging__LogLevel__Default"] = "Warning",
                ["RateLimits__SignInPerMinute"] = "100000",
            };
            var a = await StartServerAsync(webDll, root, settings, seed: true, servers);
            var b = await StartServerAsync(webDll, root, settings, seed: false, servers);

            using var olivia = await ApiAsync(a, "olivia.owner@demo.multiorg.test");
            var organizations = await olivia.GetFromJsonAsync<JsonElement>("/api/organizations");
            var acme = organizations.EnumerateArray().Single(o => o.GetProperty("name").GetString() == "Acme Corp").GetProperty("id").GetGuid();
            var members = await olivia.GetFromJsonAsync<JsonElement>($"/api/organizations/{acme}/members?search=mia.member");
            var miaId = members.GetProperty("items").EnumerateArray().Single().GetProperty("userId").GetString();

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await BenchBrowser.LaunchAsync(playwright);
            var context = await BenchBrowser.ContextAsync(browser, b);
            var signIn = await context.NewPageAsync();
            await signIn.GotoAsync("/Account/Login");
            await signIn.Locator("[name='Input.Email']").FillAsync("mia.member@demo.multiorg.test");
            await signIn.Locator("[name='Input.Password']").FillAsync("Demo#2026pass");
            await signIn.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
            await signIn.WaitForURLAsync(url => url.Contains("/organizations/", StringComparison.Ordinal));
            await signIn.CloseAsync();
            var pages = new List<IPage>();
            for (var i = 0; i < IdlePages; i++)
            {
                var page = await context.NewPageAsync();
                await page.GotoAsync($"/organizations/{acme}/dashboard");
                await page.Locator("[data-circuit='ready']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
                pages.Add(page);
            }

            Console.WriteLine($"  {IdlePages} tabs of Mia open on B; {Changes} role changes on A (load average {InProcess.LoadAverage()})");
            var probe = pages[0];
            var endToEnd = new List<double>();
            var answered = new List<double>();
            var afterAnswer = new List<double>();
            for (var i = 0; i < Changes + 2; i++)
            {
                var admin = i % 2 == 0;
                var clock = Stopwatch.StartNew();
                var response = await olivia.PatchAsJsonAsync($"/api/organizations/{acme}/members/{miaId}", new { role = admin ? "ADMIN" : "MEMBER" });
                var answer = clock.Elapsed.TotalMilliseconds;
                response.EnsureSuccessStatusCode();
                await probe.WaitForFunctionAsync(
                    "want => !!document.querySelector(\"a[href$='/audit']\") === want",
                    admin,
                    new PageWaitForFunctionOptions { PollingInterval = 5, Timeout = 30_000 });
                var shown = clock.Elapsed.TotalMilliseconds;
                if (i >= 2)
                {
                    // The first two warm the paths up (JIT, connection pools).
                    endToEnd.Add(shown);
                    answered.Add(answer);
                    afterAnswer.Add(shown - answer);
                }
            }

            Console.WriteLine($"  request on A → tab on B re-rendered: median {Percentile(endToEnd, 50):F0} ms, p95 {Percentile(endToEnd, 95):F0} ms, max {endToEnd.Max():F0} ms");
            Console.WriteLine($"  A answered the request (commit, publish): median {Percentile(answered, 50):F0} ms, p95 {Percentile(answered, 95):F0} ms");
            await context.CloseAsync();
            return
            [
                new Figure("scale", "Role change on server A to Mia's tab on server B re-rendered", IdlePages, IdlePages.ToString(CultureInfo.InvariantCulture),
                    Percentile(endToEnd, 50), Percentile(endToEnd, 95), endToEnd.Min(), endToEnd.Count, "ms", $"max {endToEnd.Max():F0} ms"),
                new Figure("scale", "Server A answers the role change (commit and publish)", IdlePages, IdlePages.ToString(CultureInfo.InvariantCulture),
                    Percentile(answered, 50), Percentile(answered, 95), answered.Min(), answered.Count, "ms"),
                new Figure("scale", "From A's answer to the tab on B re-rendered", IdlePages, IdlePages.ToString(CultureInfo.InvariantCulture),
                    Percentile(afterAnswer, 50), Percentile(afterAnswer, 95), afterAnswer.Min(), afterAnswer.Count, "ms"),
            ];
        }
        finally
        {
            foreach (var server in servers)
            {
                Stop(server);
            }

            Stop(redis);
            Delete(databasePath);
        }
    }

    /// <summary>scale.md: the event figures above and, from circuits.json, memory per idle circuit and circuits within 1 GB.</summary>
    public static void WriteReport(FigureSet events, string loadBefore, string loadAfter)
    {
        var circuits = FigureSet.Load(Circuits.ResultsPath);
        var text = new StringBuilder()
            .AppendLine("# Running on several servers: idle circuits and cross-server events")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Measured {events.MeasuredAt:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {TotalMemoryGiB():F0} GiB; load average (1/5/15 min) {loadBefore} before, {loadAfter} after.")
            .AppendLine()
            .AppendLine(LoadNote(loadBefore))
            .AppendLine()
            .AppendLine("## Time for an event to reach a circuit on the other server")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Two MultiOrg processes over one SQLite file and one redis-server on loopback. Mia keeps {IdlePages} tabs open on")
            .AppendLine(CultureInfo.InvariantCulture, $"server B; Olivia changes Mia's role {Changes} times on server A through the JSON API. The clock runs from sending the")
            .AppendLine("request to Mia's first tab on B showing the new role (its navigation gains or loses *Audit log*), polled every 5 ms.")
            .AppendLine()
            .AppendLine("| what | median | p95 | min | runs |")
            .AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var figure in events.Figures)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {figure.Name} | {figure.Median:F0} ms | {figure.P95:F0} ms | {figure.Min:F0} ms | {figure.Runs} |");
        }

        text.AppendLine()
            .AppendLine("The last row is the event's own way: Redis pub/sub to B, B's circuit re-reading the role from the database, the")
            .AppendLine("re-render sent over the WebSocket and drawn by Chromium.")
            .AppendLine()
            .AppendLine("## Memory per idle circuit and circuits within 1 GB");
        if (circuits is null)
        {
            text.AppendLine().AppendLine("Run `bench circuits 10,50,100` first: it measures the idle circuits this section reads.");
        }
        else
        {
            var largest = circuits.Figures.Where(f => f.Name.StartsWith("Working set per idle circuit", StringComparison.Ordinal)).MaxBy(f => f.Size);
            var managed = circuits.Figures.Where(f => f.Name.StartsWith("Managed heap per idle circuit", StringComparison.Ordinal)).MaxBy(f => f.Size);
            var baseline = circuits.Figures.SingleOrDefault(f => f.Name == "Baseline with 1 circuit: working set");
            text.AppendLine()
                .AppendLine(CultureInfo.InvariantCulture, $"From `bench circuits` ({circuits.MeasuredAt:yyyy-MM-dd HH:mm} UTC): the real app and real Chromium tabs left idle on an organization's")
                .AppendLine("dashboard, memory read after a full GC, per circuit = (at N circuits − at 1) / (N − 1).")
                .AppendLine();
            if (largest is not null && baseline is not null && managed is not null)
            {
                var perCircuitKb = largest.Median;
                var baselineMb = baseline.Median / 1024;
                var capacity = (int)Math.Floor((1024 - baselineMb) * 1024 / perCircuitKb);
                text.AppendLine("| figure | value |")
                    .AppendLine("| --- | ---: |")
                    .AppendLine(CultureInfo.InvariantCulture, $"| Working set of the server with 1 circuit | {baselineMb:F0} MiB |")
                    .AppendLine(CultureInfo.InvariantCulture, $"| Working set per idle circuit (at {largest.Size} circuits) | {perCircuitKb:F0} KB |")
                    .AppendLine(CultureInfo.InvariantCulture, $"| Managed heap per idle circuit (at {managed.Size} circuits) | {managed.Median:F0} KB |")
                    .AppendLine(CultureInfo.InvariantCulture, $"| **Idle circuits one server holds within 1 GB** (working set) | **{capacity:N0}** |")
                    .AppendLine()
                    .AppendLine(CultureInfo.InvariantCulture, $"1 GB less the {baselineMb:F0} MiB the server takes with one tab, divided by what each further idle tab adds. A tab that")
                    .AppendLine("works (grids, dialogs open) holds more; the framework's disconnected-circuit and persisted-state caches add their")
                    .AppendLine("own share for tabs that come and go. With Redis configured, a circuit let go after a disconnection keeps only its")
                    .AppendLine("persisted state (the organization), in Redis, not in the server's memory.");
            }
        }

        File.WriteAllText(ReportPath, text.ToString());
        Console.WriteLine($"Report: {ReportPath}");
    }

    /// <summary>A load average above the number of cores means other work shared the machine: the times are then upper bounds.</summary>
    internal static string LoadNote(string load) =>
        double.TryParse(load.Split(" / ")[0], CultureInfo.InvariantCulture, out var one) && one > Environment.ProcessorCount
            ? $"The machine was busy with other work (a 1-minute load of {one:F1} on {Environment.ProcessorCount} cores): the times below are upper bounds, the memory figures are not affected."
            : "The machine was otherwise quiet.";

    internal static double TotalMemoryGiB()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        return line is null ? double.NaN : double.Parse(line[9..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024 / 1024;
    }

    internal static double Percentile(List<double> values, double percentile)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    internal static async Task<HttpClient> ApiAsync(string baseUrl, string email)
    {
        var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email, password = "Demo#2026pass" });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    internal static async Task<string> StartServerAsync(string webDll, string root, Dictionary<string, string> settings, bool seed, List<Process> servers)
    {
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var environment = new Dictionary<string, string>(settings)
        {
            ["Database__SeedDemoData"] = seed ? "true" : "false",

            // Two servers on one machine: each its own metrics port (the default, 9464, can be bound once); 0 lets the system pick.
            ["Metrics__Urls"] = "http://127.0.0.1:0",
        };
        var server = Start("dotnet", [webDll, "--urls", baseUrl, "--contentRoot", Path.Combine(root, "MultiOrg.Web")], environment, Path.Combine(root, "MultiOrg.Web"));
        servers.Add(server);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"MultiOrg.Web exited with {server.ExitCode}");
            }

            try
            {
                if ((await http.GetAsync(new Uri($"{baseUrl}/health/ready"))).StatusCode == HttpStatusCode.OK)
                {
                    return baseUrl;
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

        throw new TimeoutException("MultiOrg.Web did not become ready within 90 s");
    }

    internal static Process Start(string file, string[] arguments, Dictionary<string, string>? environment, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? [])
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    internal static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    internal static void Delete(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

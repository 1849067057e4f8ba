using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace MultiOrg.Bench;

internal static partial class FaultsBench
{
    public static readonly TimeSpan RedisDown = TimeSpan.FromSeconds(10);

    /// <summary>The tab's own check: the 30-second revalidation (IdentityRevalidatingAuthenticationStateProvider), plus margin.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(30);

    private const string AuditLink = "a[href$='/audit']";

    /// <summary>
    /// Two servers on PostgreSQL and one redis-server. Mia keeps a Chromium tab on Acme's dashboard on B; a steady load
    /// runs against both servers (note writes with a key, organization lists with a token, B's dashboard page with Mia's
    /// cookie) while redis-server is SIGKILLed, left down <see cref="RedisDown"/>, and started again on its port.
    /// During the outage Olivia changes Mia's role on A five times (ending ADMIN). Measured: failed requests of the load
    /// and of the role changes; /health/ready of both; whether and when Mia's tab on B shows the role changed during the
    /// outage; how long after Redis answers again a new change on A reaches the tab.
    /// </summary>
    private static async Task<List<Figure>> RedisOutageAsync(BenchRedis redis, string a, string b, List<(Guid Organization, string Secret)> keys, FaultNotes notes)
    {
        using var olivia = await ScaleBench.ApiAsync(a, "olivia.owner@demo.multiorg.test");
        using var oliviaOnB = await ScaleBench.ApiAsync(b, "olivia.owner@demo.multiorg.test");
        var acme = keys[0].Organization;
        var members = await olivia.GetFromJsonAsync<JsonElement>($"/api/organizations/{acme}/members?search=mia.member");
        var mia = members.GetProperty("items").EnumerateArray().Single().GetProperty("userId").GetString();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BenchBrowser.LaunchAsync(playwright);
        var context = await BenchBrowser.ContextAsync(browser, b);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.Locator("[name='Input.Email']").FillAsync("mia.member@demo.multiorg.test");
        await page.Locator("[name='Input.Password']").FillAsync("Demo#2026pass");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/organizations/", StringComparison.Ordinal));
        await page.GotoAsync($"/organizations/{acme}/dashboard");
        await page.Locator("[data-circuit='ready']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var tabIsAdmin = () => page.Locator(AuditLink).CountAsync().ContinueWith(t => t.Result > 0, TaskScheduler.Default);

        var load = InProcess.LoadAverage();
        var clock = Stopwatch.StartNew();
        var requests = new ConcurrentQueue<(TimeSpan At, string What, bool Ok, double Ms, string Answer)>();
        var readiness = new ConcurrentQueue<(TimeSpan At, string Server, bool Ready)>();
        using var stop = new CancellationTokenSource();
        var loadTasks = new List<Task>
        {
            Steady("note on A", stop.Token, clock, requests, KeyClient(a, keys[1].Secret), c => c.PostAsJsonAsync($"/api/organizations/{keys[1].Organization}/notes", new { text = "during the Redis outage" })),
            Steady("note on B", stop.Token, clock, requests, KeyClient(b, keys[1].Secret), c => c.PostAsJsonAsync($"/api/organizations/{keys[1].Organization}/notes", new { text = "during the Redis outage" })),
            Steady("organizations on B", stop.Token, clock, requests, oliviaOnB, c => c.GetAsync(new Uri("/api/organizations", UriKind.Relative))),
            Readiness(a, "A", stop.Token, clock, readiness),
            Readiness(b, "B", stop.Token, clock, readiness),
            PageLoads(context, $"/organizations/{acme}/dashboard", stop.Token, clock, requests),
        };

        await Task.Delay(TimeSpan.FromSeconds(2));
        var stoppedAt = clock.Elapsed;
        redis.Kill();
        Console.WriteLine($"  redis-server SIGKILLed at {stoppedAt.TotalSeconds:F1} s (load {load})");
        var roles = new[] { "ADMIN", "MEMBER", "ADMIN", "MEMBER", "ADMIN" };
        foreach (var role in roles)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var sent = clock.Elapsed;
            try
            {
                using var response = await olivia.PatchAsJsonAsync($"/api/organizations/{acme}/members/{mia}", new { role });
                requests.Enqueue((sent, "role change on A", response.IsSuccessStatusCode, (clock.Elapsed - sent).TotalMilliseconds, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                requests.Enqueue((sent, "role change on A", false, (clock.Elapsed - sent).TotalMilliseconds, error.GetType().Name));
            }
        }

        var remaining = stoppedAt + RedisDown - clock.Elapsed;
        await Task.Delay(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        var staleAtReturn = !await tabIsAdmin();
        redis.Start();
        if (!await redis.WaitAnswersAsync(TimeSpan.FromSeconds(30)))
        {
            throw new InvalidOperationException("redis-server did not come back");
        }

        var backAt = clock.Elapsed;
        Console.WriteLine($"  redis-server answers again at {backAt.TotalSeconds:F1} s; Mia's tab on B {(staleAtReturn ? "still shows MEMBER" : "already shows ADMIN")}");

        // The change made during the outage: does the tab on B catch up on its own within its check interval?
        TimeSpan? caughtUp = null;
        while (clock.Elapsed - backAt < CheckInterval + TimeSpan.FromSeconds(5))
        {
            if (await tabIsAdmin())
            {
                caughtUp = clock.Elapsed - backAt;
                break;
            }

            await Task.Delay(100);
        }

        while (clock.Elapsed - backAt < TimeSpan.FromSeconds(60)
            && new[] { "A", "B" }.Any(s => !readiness.Any(r => r.Server == s && r.At >= backAt && r.Ready)))
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await Task.WhenAll(loadTasks);
        var readyAgain = new[] { "A", "B" }.ToDictionary(s => s, s => readiness.Where(r => r.Server == s && r.At >= backAt && r.Ready).Select(r => r.At - backAt).DefaultIfEmpty(TimeSpan.MaxValue).Min());
        var notReadyDuring = readiness.Where(r => r.At >= stoppedAt && r.At < backAt).GroupBy(r => r.Server).ToDictionary(g => g.Key, g => $"{g.Count(r => !r.Ready)} of {g.Count()} probes not ready");

        // A new change on A after Redis returned: from the request to Mia's tab on B showing it.
        var fresh = new List<double>();
        var admin = await tabIsAdmin();
        for (var i = 0; i < 5; i++)
        {
            admin = !admin;
            var sent = Stopwatch.StartNew();
            (await olivia.PatchAsJsonAsync($"/api/organizations/{acme}/members/{mia}", new { role = admin ? "ADMIN" : "MEMBER" })).EnsureSuccessStatusCode();
            await page.WaitForFunctionAsync($"want => !!document.querySelector(\"{AuditLink}\") === want", admin, new() { PollingInterval = 5, Timeout = 30_000 });
            fresh.Add(sent.Elapsed.TotalMilliseconds);
        }

        await context.CloseAsync();
        var during = requests.Where(r => r.At >= stoppedAt && r.At < backAt).ToList();
        var failed = requests.Where(r => !r.Ok).ToList();
        var failedDuring = during.Count(r => !r.Ok);
        var slowest = during.Count > 0 ? during.Max(r => r.Ms) : 0;
        var kinds = string.Join("; ", requests.GroupBy(r => r.What).Select(g => $"{g.Key}: {g.Count(r => r.At >= stoppedAt && r.At < backAt)} during the outage, {g.Count(r => !r.Ok)} failed{(g.Any(r => !r.Ok) ? " (" + string.Join(", ", g.Where(r => !r.Ok).Select(r => r.Answer).Distinct()) + ")" : "")}"));
        var caughtUpText = caughtUp is { } c ? $"{c.TotalSeconds:F1} s after Redis answered" : $"not within {(CheckInterval + TimeSpan.FromSeconds(5)).TotalSeconds:F0} s after Redis answered";
        Console.WriteLine($"  requests during the outage: {during.Count}, failed {failedDuring} (all run: {failed.Count}); slowest during {slowest:F0} ms; {kinds}");
        Console.WriteLine($"  ready again after Redis answered: A {Show(readyAgain["A"])}, B {Show(readyAgain["B"])}; during: {string.Join(", ", notReadyDuring.Select(p => $"{p.Key} {p.Value}"))}");
        Console.WriteLine($"  the role changed on A during the outage reached the tab on B: {caughtUpText}; a new change after: median {ScaleBench.Percentile(fresh, 50):F0} ms, max {fresh.Max():F0} ms");

        notes.Loads.Add($"Redis outage: {load}");
        notes.Lines.Add($"Redis outage: redis-server SIGKILLed, down {RedisDown.TotalSeconds:F0} s, started again on its port; {during.Count} requests sent during the outage, {failedDuring} failed; slowest answer during the outage {slowest:F0} ms; by kind: {kinds}");
        notes.Lines.Add($"/health/ready during the outage: {string.Join(", ", notReadyDuring.Select(p => $"{p.Key} {p.Value}"))} (readiness includes Redis by design: a balancer stops sending new sessions, requests still answered); ready again after Redis answered: A {Show(readyAgain["A"])}, B {Show(readyAgain["B"])}");
        notes.Lines.Add($"Mia's role changed five times on A during the outage (ending ADMIN); her tab on B {(staleAtReturn ? "still showed MEMBER when Redis came back" : "showed ADMIN before Redis came back")}; it showed ADMIN {caughtUpText} (its check interval: {CheckInterval.TotalSeconds:F0} s revalidation)");
        notes.Lines.Add($"A new role change on A after Redis returned (and both servers were ready) reached the tab on B in median {ScaleBench.Percentile(fresh, 50):F0} ms, max {fresh.Max():F0} ms ({fresh.Count} changes)");
        var size = (long)RedisDown.TotalSeconds;
        return
        [
            new Figure("redis", "Requests sent during the Redis outage", size, "10 s", during.Count, during.Count, during.Count, 1, "requests"),
            new Figure("redis", "Requests that failed during the Redis outage", size, "10 s", failedDuring, failedDuring, failedDuring, 1, "requests"),
            new Figure("redis", "Slowest answer during the Redis outage", size, "10 s", slowest, slowest, slowest, 1),
            new Figure("redis", "Server B ready again after Redis answered", size, "10 s", Ms(readyAgain["B"]), Ms(readyAgain["B"]), Ms(readyAgain["B"]), 1),
            new Figure("redis", "Change made during the outage shown in the tab on B after Redis answered", size, "10 s", caughtUp is { } t ? t.TotalMilliseconds : double.NaN, double.NaN, double.NaN, 1, "ms", caughtUpText),
            new Figure("redis", "New change on A to the tab on B after Redis returned", size, "10 s", ScaleBench.Percentile(fresh, 50), ScaleBench.Percentile(fresh, 95), fresh.Min(), fresh.Count),
        ];
    }

    private static string Show(TimeSpan span) => span == TimeSpan.MaxValue ? "not within the run" : $"{span.TotalMilliseconds:F0} ms";

    private static double Ms(TimeSpan span) => span == TimeSpan.MaxValue ? double.NaN : span.TotalMilliseconds;

    private static Task Steady(string what, CancellationToken stop, Stopwatch clock, ConcurrentQueue<(TimeSpan, string, bool, double, string)> requests, HttpClient client, Func<HttpClient, Task<HttpResponseMessage>> send) =>
        Task.Run(async () =>
        {
            using (client)
            {
                while (!stop.IsCancellationRequested)
                {
                    var sent = clock.Elapsed;
                    try
                    {
                        using var response = await send(client);
                        requests.Enqueue((sent, what, response.IsSuccessStatusCode, (clock.Elapsed - sent).TotalMilliseconds, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    }
                    catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
                    {
                        requests.Enqueue((sent, what, false, (clock.Elapsed - sent).TotalMilliseconds, error.GetType().Name));
                    }

                    await Task.Delay(50, CancellationToken.None);
                }
            }
        }, CancellationToken.None);

    private static Task PageLoads(IBrowserContext context, string path, CancellationToken stop, Stopwatch clock, ConcurrentQueue<(TimeSpan, string, bool, double, string)> requests) =>
        Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var sent = clock.Elapsed;
                try
                {
                    var response = await context.APIRequest.GetAsync(path);
                    requests.Enqueue((sent, "dashboard page on B (Mia's cookie)", response.Ok, (clock.Elapsed - sent).TotalMilliseconds, response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    await response.DisposeAsync();
                }
                catch (PlaywrightException error)
                {
                    requests.Enqueue((sent, "dashboard page on B (Mia's cookie)", false, (clock.Elapsed - sent).TotalMilliseconds, error.Message.Split('\n')[0]));
                }

                await Task.Delay(200, CancellationToken.None);
            }
        }, CancellationToken.None);

    private static Task Readiness(string server, string name, CancellationToken stop, Stopwatch clock, ConcurrentQueue<(TimeSpan, string, bool)> readiness) =>
        Task.Run(async () =>
        {
            using var http = new HttpClient { BaseAddress = new Uri(server), Timeout = TimeSpan.FromSeconds(5) };
            while (!stop.IsCancellationRequested)
            {
                var at = clock.Elapsed;
                try
                {
                    using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), CancellationToken.None);
                    readiness.Enqueue((at, name, response.StatusCode == HttpStatusCode.OK));
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
                {
                    readiness.Enqueue((at, name, false));
                }

                await Task.Delay(100, CancellationToken.None);
            }
        }, CancellationToken.None);
}

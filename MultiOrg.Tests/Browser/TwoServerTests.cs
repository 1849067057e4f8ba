using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MultiOrg.Data;
using MultiOrg.Domain.Jobs;
using MultiOrg.Domain.Tenancy;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Browser;

/// <summary>
/// Two real MultiOrg processes on loopback ports over one PostgreSQL database and one redis-server, as two servers behind a
/// load balancer: server A migrates the empty database and seeds the demo, server B joins the same database. Jobs tick every two seconds on both.
/// </summary>
public sealed class TwoServers : IAsyncLifetime
{
    public static readonly TimeSpan JobInterval = TimeSpan.FromSeconds(2);

    private IPlaywright? playwright;

    public RedisServer Redis { get; private set; } = null!;

    public AppServer A { get; private set; } = null!;

    public AppServer B { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>One address in front of both servers, pointing at A until a test moves it.</summary>
    public LoopbackBalancer Balancer { get; private set; } = null!;

    /// <summary>Always PostgreSQL, whichever database the rest of the suite runs on: servers share a server database.</summary>
    public TestDatabase SharedDatabase { get; } = new(migrated: false, DatabaseProvider.PostgreSql);

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["Redis:Configuration"] = Redis.Configuration,
            [$"Jobs:{MultiOrg.Web.Features.Billing.PeriodCloseJob.JobName}:Interval"] = JobInterval.ToString(),
            [$"Jobs:{MultiOrg.Web.Features.Audit.AuditRetentionJob.JobName}:Interval"] = JobInterval.ToString(),

            // A tab whose connection is gone for two seconds is persisted (to Redis) and let go.
            ["Circuits:DisconnectedRetention"] = "00:00:02",

            // Each run and each skip is logged; the jobs test reads both servers' logs.
            ["Logging:LogLevel:MultiOrg.Web.Features.Billing.PeriodCloseJob"] = "Information",
            ["Logging:LogLevel:MultiOrg.Web.Features.Audit.AuditRetentionJob"] = "Information",
        };
        var shared = new AppServerOptions { Database = SharedDatabase, Settings = settings, StartTimeout = TimeSpan.FromMinutes(3) };

        try
        {
            // A migrates and seeds the database; B starts over it once it is there, as a second server does.
            A = await AppServer.StartAsync(seedDemoData: true, shared);
            B = await AppServer.StartAsync(seedDemoData: false, shared);
            Balancer = new LoopbackBalancer(new Uri(A.BaseUrl));
            playwright = await Playwright.CreateAsync();
            Browser = await BrowserFixture.LaunchChromiumAsync(playwright);
            SetDefaultExpectTimeout(15_000);
        }
        catch
        {
            // Nothing started here outlives a failed start.
            await DisposeAsync();
            throw;
        }
    }

    public Task<IPage> NewPageAsync(AppServer server) => NewPageAsync(server.BaseUrl);

    public async Task<IPage> NewPageAsync(string baseUrl)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = 1366, Height = 860 },
        });
        context.SetDefaultTimeout(15_000);
        context.FailOnCspViolations(CspViolations);
        context.CheckDialogsAsTheyOpen();
        return await context.NewPageAsync();
    }

    /// <summary>Every Content-Security-Policy violation a page printed (each also failed its journey).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> CspViolations { get; } = new();

    /// <summary>A JSON API client signed in on one server with Identity's bearer token.</summary>
    public static async Task<HttpClient> ApiAsync(AppServer server, string email)
    {
        var client = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email, password = Journey.DemoPassword });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public MultiOrgDbContext Database() => SharedDatabase.CreateContext();

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (Balancer is not null)
        {
            await Balancer.DisposeAsync();
        }

        if (B is not null)
        {
            await B.DisposeAsync();
        }

        if (A is not null)
        {
            await A.DisposeAsync();
        }

        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        SharedDatabase.Dispose();
    }
}

/// <summary>The test classes that start two servers run one after the other: each pair is heavy on a two-core machine.</summary>
[CollectionDefinition(Name)]
public sealed class TwoServerCollection
{
    public const string Name = "Two servers";
}

[Collection(TwoServerCollection.Name)]
public sealed partial class TwoServerTests(TwoServers servers, ITestOutputHelper output) : IClassFixture<TwoServers>
{
    private const string Olivia = "olivia.owner@demo.multiorg.test";
    private const string Adam = "adam.admin@demo.multiorg.test";
    private const string Mia = "mia.member@demo.multiorg.test";
    private const string Paula = "paula.partner@demo.multiorg.test";
    private const string Sam = "sam.solo@demo.multiorg.test";

    private static async Task<Guid> OrganizationIdAsync(HttpClient api, string name)
    {
        var organizations = await api.GetFromJsonAsync<JsonElement>("/api/organizations");
        return organizations.EnumerateArray().Single(o => o.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task A_sign_in_on_server_A_is_accepted_by_server_B()
    {
        var page = await servers.NewPageAsync(servers.A);
        await page.SignInAsync(Olivia);
        var organizationId = page.OrganizationIdFromUrl();

        // The same browser (the same cookie, the keys in the shared database) now reaches server B.
        await page.GotoAsync($"{servers.B.BaseUrl}/organizations/{organizationId}/members");
        await page.WaitForCircuitAsync();

        page.Url.Should().StartWith(servers.B.BaseUrl).And.EndWith($"/organizations/{organizationId}/members");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Members", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByText(Olivia).First).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_member_removed_by_an_admin_on_server_A_leaves_the_organization_on_server_B_at_once()
    {
        using var adam = await TwoServers.ApiAsync(servers.A, Adam);
        var acme = await OrganizationIdAsync(adam, "Acme Corp");
        var members = await adam.GetFromJsonAsync<JsonElement>($"/api/organizations/{acme}/members?search=mia.member");
        var miaId = members.GetProperty("items").EnumerateArray().Single().GetProperty("userId").GetString();

        var page = await servers.NewPageAsync(servers.B);
        await page.SignInAsync(Mia);
        await page.GotoAsync($"/organizations/{acme}/dashboard");
        await page.WaitForCircuitAsync();
        await Expect(page.GetByText("Acme Corp").First).ToBeVisibleAsync();
        (await servers.B.ActiveCircuitsAsync()).Should().BeGreaterThanOrEqualTo(1, "B's /metrics counts Mia's open circuit");

        var left = page.WaitForURLAsync(url => url.Contains("/left-organization", StringComparison.Ordinal), new() { Timeout = 90_000 });
        var clock = Stopwatch.StartNew();
        var removal = await adam.DeleteAsync($"/api/organizations/{acme}/members/{miaId}");
        var committed = clock.Elapsed;
        await left;
        var leftAfter = clock.Elapsed;
        output.WriteLine($"Removal answered by A after {committed.TotalMilliseconds:0} ms; Mia's tab on B left after {leftAfter.TotalMilliseconds:0} ms");

        removal.StatusCode.Should().Be(HttpStatusCode.NoContent);
        // Measured: 0.37 s from the request on a quiet machine (A answered after 0.2 s); under the whole suite on two
        // cores, 1.4 s and 2.6 s (A's commit alone 0.9 s and 1.2 s). The bound is generous for that; the sub-second figure
        // is the quiet one and bench/results/scale.md's p95. Without the event the tab would stay until its next action, so
        // any bound proves the event; it is counted from A's answer (the commit), which a loaded machine stretches most.
        (leftAfter - committed).Should().BeLessThan(TimeSpan.FromSeconds(30),
            "the tab leaves as soon as the event crosses Redis (measured {0:0} ms from the request, A answered after {1:0} ms)",
            leftAfter.TotalMilliseconds, committed.TotalMilliseconds);
        await Expect(page.GetByTestId("left-reason")).ToContainTextAsync("no longer a member");
        await Expect(page.GetByText("Acme Corp")).ToHaveCountAsync(0);

        // Going back is refused by B's own check of the database, not only by the event.
        await page.GotoAsync($"/organizations/{acme}/dashboard");
        await Expect(page.GetByText("You don't have access to this organization")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task With_both_servers_running_each_due_time_of_each_job_ran_exactly_once()
    {
        // Both servers tick every two seconds; give them a few due times together.
        await Task.Delay(TwoServers.JobInterval * 5);
        var horizon = DateTime.UtcNow - TwoServers.JobInterval * 2;
        var lines = JobLine().Matches(servers.A.Output).Concat(JobLine().Matches(servers.B.Output))
            .Select(m => new
            {
                Job = m.Groups["job"].Value,
                Ran = m.Groups["what"].Value == "ran",
                Due = DateTime.Parse(m.Groups["due"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                Holder = m.Groups["holder"].Value,
            })
            .Where(l => l.Due < horizon)
            .ToList();
        await using var db = servers.Database();
        var rows = await db.Set<JobRun>().AsNoTracking().Where(r => r.DueAt < horizon).ToListAsync();

        foreach (var job in new[] { MultiOrg.Web.Features.Billing.PeriodCloseJob.JobName, MultiOrg.Web.Features.Audit.AuditRetentionJob.JobName })
        {
            var ran = lines.Where(l => l.Job == job && l.Ran).ToList();
            var skipped = lines.Where(l => l.Job == job && !l.Ran).ToList();
            output.WriteLine($"{job}: {ran.Count} runs by {string.Join(", ", ran.GroupBy(r => r.Holder).Select(g => $"{g.Key} ×{g.Count()}"))}; {skipped.Count} skips");

            ran.GroupBy(r => r.Due).Should().OnlyContain(g => g.Count() == 1, "no due time of {0} ran on two servers", job);
            skipped.Select(s => s.Due).Should().BeSubsetOf(ran.Select(r => r.Due), "a due time one server skipped was run by the other");
            skipped.Should().Contain(s => ran.Any(r => r.Due == s.Due && r.Holder != s.Holder),
                "both servers were due at the same times and one of them stood back");
            rows.Where(r => r.Job == job).Select(r => r.DueAt).Should().BeEquivalentTo(ran.Select(r => r.Due), "the JobRuns table holds exactly the runs");
            rows.Where(r => r.Job == job).Should().OnlyContain(r => r.FinishedAt != null && r.Outcome != null);
        }
    }

    [Fact]
    public async Task A_tab_cut_off_long_enough_to_be_let_go_by_A_resumes_on_B_from_the_state_A_left_in_redis_without_reloading()
    {
        using var adam = await TwoServers.ApiAsync(servers.A, Adam);
        var acme = await OrganizationIdAsync(adam, "Acme Corp");
        var page = await servers.NewPageAsync(servers.Balancer.BaseUrl);
        await page.SignInAsync(Olivia);
        await page.GotoAsync($"/organizations/{acme}/members");
        await page.WaitForCircuitAsync();
        await page.GetByTestId("directory-link").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/directory", StringComparison.Ordinal));
        await Expect(page.Locator(".mo-nav-caption")).ToHaveTextAsync("Acme Corp");
        await page.EvaluateAsync("() => { window.sameDocument = true; }");
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(servers.Redis.Configuration);
        var keysBefore = redis.GetServer(servers.Redis.Configuration).Keys(pattern: "multiorg:*").Count();

        // The network drops; A keeps the circuit for its retention period, then persists it through HybridCache to Redis.
        servers.Balancer.Cut();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (redis.GetServer(servers.Redis.Configuration).Keys(pattern: "multiorg:*").Count() == keysBefore && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        redis.GetServer(servers.Redis.Configuration).Keys(pattern: "multiorg:*").Count().Should().BeGreaterThan(keysBefore, "A persisted the circuit it let go to Redis");

        // The browser comes back through the balancer, now to B: B does not know the circuit, the page asks to resume it,
        // and B finds its state in Redis. Same document (no reload), same page, same organization, re-checked.
        servers.Balancer.PointAt(new Uri(servers.B.BaseUrl));
        await Expect(page.Locator("#components-reconnect-modal")).Not.ToBeVisibleAsync(new() { Timeout = 60_000 });
        await page.WaitForFunctionAsync("() => window.sameDocument === true && document.querySelector('.mo-nav-caption')?.textContent === 'Acme Corp'", null, new() { Timeout = 30_000 });
        page.Url.Should().EndWith("/directory");
        (await page.EvaluateAsync<bool>("() => window.sameDocument === true")).Should().BeTrue("the circuit resumed in place; the page was not reloaded");
        (await servers.B.ActiveCircuitsAsync()).Should().BeGreaterThanOrEqualTo(1);
        servers.Balancer.PointAt(new Uri(servers.A.BaseUrl));
        await page.Context.CloseAsync();
    }

    private static HttpClient KeyClient(AppServer server, string secret)
    {
        var client = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", secret);
        return client;
    }

    [Fact]
    public async Task Partner_staff_removed_from_the_partner_on_A_lose_their_client_keys_on_both_servers_in_the_next_request()
    {
        using var paula = await TwoServers.ApiAsync(servers.A, Paula);
        using var sam = await TwoServers.ApiAsync(servers.B, Sam);
        var partner = await OrganizationIdAsync(paula, "Brightside Accounting");
        (await paula.PostAsJsonAsync($"/api/organizations/{partner}/members", new { email = Sam, role = "ADMIN" })).EnsureSuccessStatusCode();
        var samId = (await sam.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("user").GetProperty("id").GetString();
        var onboarded = await sam.PostAsJsonAsync($"/api/organizations/{partner}/clients", new { name = "Two-server client", path = "Template", countryCode = "US" });
        onboarded.StatusCode.Should().Be(HttpStatusCode.Created, await onboarded.Content.ReadAsStringAsync());
        var created = await onboarded.Content.ReadFromJsonAsync<JsonElement>();
        var client = created.GetProperty("organizationId").GetGuid();
        var secret = created.GetProperty("apiKey").GetString()!;
        using var keyOnA = KeyClient(servers.A, secret);
        using var keyOnB = KeyClient(servers.B, secret);
        (await keyOnA.GetAsync($"/api/organizations/{client}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await keyOnB.GetAsync($"/api/organizations/{client}")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await paula.DeleteAsync($"/api/organizations/{partner}/members/{samId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        // No event and no cache: each server reads the creator's standing from the database at the key's next request.
        (await keyOnB.GetAsync($"/api/organizations/{client}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await keyOnA.GetAsync($"/api/organizations/{client}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_assistant_session_opened_with_a_key_on_A_is_refused_to_its_creator_on_A_and_to_everyone_on_B()
    {
        using var olivia = await TwoServers.ApiAsync(servers.A, Olivia);
        using var oliviaOnB = await TwoServers.ApiAsync(servers.B, Olivia);
        var acme = await OrganizationIdAsync(olivia, "Acme Corp");
        var key = await olivia.PostAsJsonAsync($"/api/organizations/{acme}/api-keys", new { name = "Two-server assistant", role = "MEMBER" });
        key.StatusCode.Should().Be(HttpStatusCode.Created, await key.Content.ReadAsStringAsync());
        var secret = (await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        var token = olivia.DefaultRequestHeaders.Authorization!.Parameter!;
        using var a = new HttpClient { BaseAddress = new Uri(servers.A.BaseUrl) };
        using var b = new HttpClient { BaseAddress = new Uri(servers.B.BaseUrl) };
        var opened = await a.SendAsync(McpRequests.JsonRpc(acme, "initialize", bearer: secret));
        opened.StatusCode.Should().Be(HttpStatusCode.OK, await opened.Content.ReadAsStringAsync());
        var session = opened.Headers.GetValues("Mcp-Session-Id").Single();

        var sameKeyOnA = await a.SendAsync(McpRequests.JsonRpc(acme, "tools/list", session, secret));
        var creatorOnA = await a.SendAsync(McpRequests.JsonRpc(acme, "tools/list", session, token));
        var creatorOnB = await b.SendAsync(McpRequests.JsonRpc(acme, "tools/list", session, oliviaOnB.DefaultRequestHeaders.Authorization!.Parameter));
        var sameKeyOnB = await b.SendAsync(McpRequests.JsonRpc(acme, "tools/list", session, secret));

        sameKeyOnA.StatusCode.Should().Be(HttpStatusCode.OK);
        creatorOnA.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "/mcp takes no JSON API sign-in token at all (decision 0021), let alone on the key's session");
        creatorOnB.IsSuccessStatusCode.Should().BeFalse("B has no such session for anyone ({0})", creatorOnB.StatusCode);
        sameKeyOnB.IsSuccessStatusCode.Should().BeFalse("an assistant session lives on the server that opened it ({0})", sameKeyOnB.StatusCode);
    }

    [GeneratedRegex(@"Job (?<job>\S+) (?<what>ran|skipped) due time (?<due>\S+) on (?<holder>\S+?):")]
    private static partial Regex JobLine();
}

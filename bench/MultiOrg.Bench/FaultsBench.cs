using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace MultiOrg.Bench;

/// <summary>
/// Issue 26's fault figures, on real processes: MultiOrg.Web (dotnet MultiOrg.Web.dll), a PostgreSQL cluster and
/// redis-server. Writes are notes added through the JSON API with an organization's API key (each one audited, so each
/// takes the organization's write lock and appends to its audit chain); "acknowledged" means the server answered 201.
/// </summary>
internal static partial class FaultsBench
{
    public const int Writers = 8;
    public const int Organizations = 8;
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1.5);
    public static readonly TimeSpan Stream = TimeSpan.FromSeconds(5);

    public static string ResultsPath => Path.Combine(BenchPaths.Results, "faults.json");

    public static string ReportPath => Path.Combine(BenchPaths.Results, "faults.md");

    private static string WebDll
    {
        get
        {
            var dll = Path.Combine(BenchPaths.RepositoryRoot, "MultiOrg.Web", "bin", "Release", "net10.0", "MultiOrg.Web.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution in Release first (bench/run.sh does).", dll);
        }
    }

    private static Dictionary<string, string> Settings(string provider, string connectionString, string? redis)
    {
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Database__Provider"] = provider,
            ["ConnectionStrings__MultiOrg"] = connectionString,
            ["Logging__LogLevel__Default"] = "Warning",
            ["RateLimits__SignInPerMinute"] = "100000",
            ["RateLimits__ApiKeyPerMinute"] = "1000000",
        };
        if (redis is not null)
        {
            settings["Redis__Configuration"] = redis;
        }

        return settings;
    }

    public static async Task<List<Figure>> RunAsync(FaultNotes notes)
    {
        var figures = new List<Figure>();
        figures.AddRange(await SqliteWritesAsync(notes));
        using var postgres = BenchPostgres.Start();
        postgres.Execute("CREATE DATABASE multiorg_faults");
        using var redis = new BenchRedis();
        redis.Start();
        if (!await redis.WaitAnswersAsync(TimeSpan.FromSeconds(30)))
        {
            throw new InvalidOperationException("redis-server did not answer within 30 s");
        }

        var servers = new List<Process>();
        try
        {
            var settings = Settings("PostgreSql", postgres.ConnectionString("multiorg_faults"), redis.Configuration);
            var a = await ScaleBench.StartServerAsync(WebDll, BenchPaths.RepositoryRoot, settings, seed: true, servers);
            var b = await ScaleBench.StartServerAsync(WebDll, BenchPaths.RepositoryRoot, settings, seed: false, servers);
            var keys = await KeysAsync(a);
            figures.AddRange(await ThroughputAsync("PostgreSQL", a, keys, notes));
            figures.AddRange(await KillAsync(postgres.ConnectionString("multiorg_faults"), servers, a, b, keys, notes));

            // A comes back (as a restarted server does) for the Redis outage.
            servers.RemoveAt(0);
            a = await ScaleBench.StartServerAsync(WebDll, BenchPaths.RepositoryRoot, settings, seed: false, servers);
            figures.AddRange(await RedisOutageAsync(redis, a, b, keys, notes));
        }
        finally
        {
            foreach (var server in servers)
            {
                ScaleBench.Stop(server);
            }
        }

        return figures;
    }

    private static async Task<List<Figure>> SqliteWritesAsync(FaultNotes notes)
    {
        var path = Path.Combine(BenchPaths.Data, "faults.db");
        ScaleBench.Delete(path);
        var servers = new List<Process>();
        try
        {
            var a = await ScaleBench.StartServerAsync(WebDll, BenchPaths.RepositoryRoot, Settings("Sqlite", $"Data Source={path}", null), seed: true, servers);
            return await ThroughputAsync("SQLite", a, await KeysAsync(a), notes);
        }
        finally
        {
            servers.ForEach(ScaleBench.Stop);
            ScaleBench.Delete(path);
        }
    }

    /// <summary>
    /// Acme Corp and further organizations Olivia creates, each with a MEMBER key for the writers and 100 credit packs:
    /// every API-key request is metered (one credit debited before the use runs), so each write is a debit and a note.
    /// </summary>
    private static async Task<List<(Guid Organization, string Secret)>> KeysAsync(string server)
    {
        using var olivia = await ScaleBench.ApiAsync(server, "olivia.owner@demo.multiorg.test");
        var mine = await olivia.GetFromJsonAsync<JsonElement>("/api/organizations");
        var organizations = new List<Guid> { mine.EnumerateArray().Single(o => o.GetProperty("name").GetString() == "Acme Corp").GetProperty("id").GetGuid() };
        while (organizations.Count < Organizations)
        {
            var created = await olivia.PostAsJsonAsync("/api/organizations", new { name = $"Fault bench {organizations.Count}" });
            created.EnsureSuccessStatusCode();
            organizations.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }

        var keys = new List<(Guid, string)>();
        foreach (var organization in organizations)
        {
            var key = await olivia.PostAsJsonAsync($"/api/organizations/{organization}/api-keys", new { name = "Fault bench writer", role = "MEMBER" });
            key.EnsureSuccessStatusCode();
            keys.Add((organization, (await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!));
            (await olivia.PostAsJsonAsync($"/api/organizations/{organization}/billing/credits", new { packs = 100 })).EnsureSuccessStatusCode();
        }

        return keys;
    }

    private static HttpClient KeyClient(string server, string secret)
    {
        var client = new HttpClient { BaseAddress = new Uri(server), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", secret);
        return client;
    }

    /// <summary>
    /// <see cref="Writers"/> concurrent writers on one server for <see cref="Stream"/> (after <see cref="WarmUp"/>): all
    /// into one organization, then each into its own.
    /// </summary>
    private static async Task<List<Figure>> ThroughputAsync(string database, string server, List<(Guid Organization, string Secret)> keys, FaultNotes notes)
    {
        var figures = new List<Figure>();
        foreach (var (label, spread) in new[] { ("one organization", false), ("across organizations", true) })
        {
            var clients = keys.Select(k => (k.Organization, Client: KeyClient(server, k.Secret))).ToList();
            Func<int, (Guid, HttpClient)> target = writer => spread ? clients[writer % clients.Count] : clients[0];
            await WriteStream.RunAsync($"warm-{database}-{spread}", Writers, WarmUp, target);
            var load = InProcess.LoadAverage();
            var run = await WriteStream.RunAsync($"rate-{database}-{spread}", Writers, Stream, target);
            clients.ForEach(c => c.Client.Dispose());
            var rate = run.Acknowledged.Count / run.Elapsed.TotalSeconds;
            var latencies = run.Latencies.Order().ToList();
            var size = spread ? keys.Count : 1;
            var failures = run.Failures.IsEmpty ? "" : " (" + string.Join(", ", run.Failures.GroupBy(f => f.What).Select(g => $"{g.Count()} × {g.Key}")) + ")";
            Console.WriteLine($"  {database,-10} {label,-22}: {rate,7:F0} writes/s  latency median {Harness.Percentile(latencies, 0.5):F0} ms p95 {Harness.Percentile(latencies, 0.95):F0} ms  failed {run.Failures.Count}{failures}  (load {load})");
            figures.Add(new Figure($"writes-{database}", $"Writes per second, {label}", size, $"{size} org", rate, rate, rate, run.Acknowledged.Count, "writes/s",
                $"{Writers} writers for {Stream.TotalSeconds:F0} s; latency median {Harness.Percentile(latencies, 0.5):F0} ms, p95 {Harness.Percentile(latencies, 0.95):F0} ms; {run.Failures.Count} failed{failures}; load {load}"));
            notes.Loads.Add($"{database} {label}: {load}");
        }

        return figures;
    }
}

/// <summary>What the report says beside the figures: load averages and the observations that are not numbers.</summary>
internal sealed class FaultNotes
{
    public List<string> Loads { get; } = [];

    public List<string> Lines { get; } = [];
}

/// <summary>Concurrent writers adding notes; each writer's target may change between requests (a balancer moving on).</summary>
internal sealed class WriteStream
{
    public ConcurrentBag<string> Acknowledged { get; } = [];

    /// <summary>When each acknowledged write was answered, and by which server.</summary>
    public ConcurrentBag<(TimeSpan At, string Server)> Answers { get; } = [];

    public ConcurrentQueue<(TimeSpan At, string Server, string What)> Failures { get; } = new();

    public ConcurrentBag<double> Latencies { get; } = [];

    public TimeSpan Elapsed { get; private set; }

    public static async Task<WriteStream> RunAsync(string prefix, int writers, TimeSpan duration, Func<int, (Guid Organization, HttpClient Client)> target, Action<int>? failed = null, Stopwatch? clock = null)
    {
        var stream = new WriteStream();
        clock ??= Stopwatch.StartNew();
        var end = clock.Elapsed + duration;
        var started = clock.Elapsed;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var sequence = 0; clock.Elapsed < end; sequence++)
            {
                var (organization, client) = target(writer);
                var text = $"{prefix}-{writer}-{sequence}";
                var sent = clock.Elapsed;
                try
                {
                    using var response = await client.PostAsJsonAsync($"/api/organizations/{organization}/notes", new { text });
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        stream.Acknowledged.Add(text);
                        stream.Answers.Add((clock.Elapsed, client.BaseAddress!.Authority));
                        stream.Latencies.Add((clock.Elapsed - sent).TotalMilliseconds);
                    }
                    else
                    {
                        stream.Failures.Enqueue((sent, client.BaseAddress!.Authority, $"{(int)response.StatusCode}"));
                        failed?.Invoke(writer);
                    }
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
                {
                    stream.Failures.Enqueue((sent, client.BaseAddress!.Authority, error.GetType().Name));
                    failed?.Invoke(writer);
                }
            }
        })));
        stream.Elapsed = clock.Elapsed - started;
        return stream;
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MultiOrg.Tests.Support;

namespace MultiOrg.Tests.Api;

/// <summary>/metrics over real HTTP through the test host: what an operator's Prometheus scrapes.</summary>
public sealed partial class MetricsApiTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly ApiFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task Metrics_count_requests_per_door_errors_and_job_runs_in_the_prometheus_format()
    {
        var owner = await factory.RegisterAsync("metrics");
        var organizationId = await owner.CreateOrganizationAsync("Metered");
        var key = await owner.Client.PostAsJsonAsync($"/api/organizations/{organizationId}/api-keys", new { name = "Scraper test", role = "ADMIN" });
        var secret = (await key.JsonAsync()).GetProperty("secret").GetString()!;
        using var anonymous = factory.CreateClient();
        var before = Parse(await anonymous.GetStringAsync("/metrics"));

        using var keyClient = factory.CreateClient();
        keyClient.DefaultRequestHeaders.Add("X-Api-Key", secret);
        (await keyClient.GetAsync($"/api/organizations/{organizationId}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await keyClient.GetAsync($"/api/organizations/{organizationId}/members")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await owner.Client.GetAsync("/api/organizations")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync("/Account/Login")).StatusCode.Should().Be(HttpStatusCode.OK);
        var token = owner.Client.DefaultRequestHeaders.Authorization!.Parameter!;
        var assistantHttp = factory.CreateClient();
        assistantHttp.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        await using (var assistant = await ModelContextProtocol.Client.McpClient.CreateAsync(new ModelContextProtocol.Client.HttpClientTransport(
            new ModelContextProtocol.Client.HttpClientTransportOptions
            {
                Endpoint = new Uri(assistantHttp.BaseAddress!, $"/mcp/{organizationId}"),
                TransportMode = ModelContextProtocol.Client.HttpTransportMode.StreamableHttp,
            },
            assistantHttp,
            ownsHttpClient: true)))
        {
            (await assistant.CallToolAsync("who_am_i", new Dictionary<string, object?>())).IsError.Should().NotBe(true);
        }

        var response = await anonymous.GetAsync("/metrics");
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        var after = Parse(await response.Content.ReadAsStringAsync());
        output.WriteLine($"api-key requests: {before.GetValueOrDefault("multiorg_requests_total{door=\"api-key\"}")} → {after.GetValueOrDefault("multiorg_requests_total{door=\"api-key\"}")}");

        // Counters are per process (other tests' hosts share it), so each door grew by at least what this test sent.
        Grew(before, after, "multiorg_requests_total{door=\"api-key\"}").Should().BeGreaterThanOrEqualTo(2);
        Grew(before, after, "multiorg_requests_total{door=\"api\"}").Should().BeGreaterThanOrEqualTo(1);
        Grew(before, after, "multiorg_requests_total{door=\"page\"}").Should().BeGreaterThanOrEqualTo(1);
        Grew(before, after, "multiorg_requests_total{door=\"assistant\"}").Should().BeGreaterThanOrEqualTo(1);
        after.Keys.Should().Contain(["multiorg_request_errors_total{door=\"api\"}", "multiorg_request_errors_total{door=\"page\"}"],
            "every door's error series is there from the start, at zero until a request fails");
        after.Should().ContainKey("multiorg_job_runs_total{job=\"billing-period-close\"}")
            .WhoseValue.Should().BeGreaterThanOrEqualTo(1, "the host ran the period close when it started");
        after.Keys.Should().Contain(k => k.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal),
            "ASP.NET Core's own request metrics are exported beside them");
    }

    [Fact]
    public async Task Ready_checks_the_database_and_live_only_the_process()
    {
        using var client = factory.CreateClient();

        var ready = await client.GetAsync("/health/ready");
        var live = await client.GetAsync("/health/live");

        ready.StatusCode.Should().Be(HttpStatusCode.OK);
        live.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Ready_fails_while_the_configured_redis_does_not_answer_and_live_stays_up()
    {
        // A port nobody listens on: Redis is configured but down.
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var withRedis = new ApiFactory(new Dictionary<string, string> { ["Redis:Configuration"] = $"127.0.0.1:{port},connectTimeout=500" });
        using var client = withRedis.CreateClient();

        (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await client.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Ready_succeeds_with_a_redis_that_answers()
    {
        await using var redis = await RedisServer.StartAsync();
        using var withRedis = new ApiFactory(new Dictionary<string, string> { ["Redis:Configuration"] = redis.Configuration });
        using var client = withRedis.CreateClient();

        (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static double Grew(Dictionary<string, double> before, Dictionary<string, double> after, string series) =>
        after.GetValueOrDefault(series) - before.GetValueOrDefault(series);

    /// <summary>Series (name and labels, without OpenTelemetry's scope labels) → value.</summary>
    private static Dictionary<string, double> Parse(string text)
    {
        var series = new Dictionary<string, double>();
        foreach (var line in text.Split('\n').Where(l => l.Length > 0 && l[0] != '#'))
        {
            var match = Sample().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var labels = match.Groups["labels"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Where(l => !l.StartsWith("otel_scope_", StringComparison.Ordinal))
                .ToList();
            var key = labels.Count == 0 ? match.Groups["name"].Value : $"{match.Groups["name"].Value}{{{string.Join(',', labels)}}}";
            series[key] = series.GetValueOrDefault(key) + double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        }

        return series;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>[^ ]+)")]
    private static partial Regex Sample();
}

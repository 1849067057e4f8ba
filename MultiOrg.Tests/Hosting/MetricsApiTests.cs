using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Hosting;

/// <summary>The app's metrics, read from the test host's own instruments, and the health endpoints a load balancer probes.</summary>
public sealed class MetricsApiTests : IDisposable
{
    private readonly ApiFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task Metrics_count_requests_per_door_errors_and_job_runs()
    {
        // The collectors listen to this host's own meters only: other test hosts in the process never change what is read.
        using var metered = new ApiFactory { ExtraServices = HostMetrics.AddTo };
        var metrics = metered.Services.GetRequiredService<HostMetrics>();
        var owner = await metered.RegisterAsync("metrics");
        var organizationId = await owner.CreateOrganizationAsync("Metered");
        var key = await owner.Client.PostAsJsonAsync($"/api/organizations/{organizationId}/api-keys", new { name = "Scraper test", role = "ADMIN" });
        var secret = (await key.JsonAsync()).GetProperty("secret").GetString()!;
        using var anonymous = metered.CreateClient();
        // Connected first: its sign-in and consent are requests of other doors (the person's cookie login is one of the API's).
        var (assistant, _) = await metered.ConnectAssistantAsync(owner, organizationId);
        var apiBefore = HostMetrics.Sum(metrics.Requests, "door", "api");

        using var keyClient = metered.CreateClient();
        keyClient.DefaultRequestHeaders.Add("X-Api-Key", secret);
        (await keyClient.GetAsync($"/api/organizations/{organizationId}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await keyClient.GetAsync($"/api/organizations/{organizationId}/members")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await owner.Client.GetAsync("/api/organizations")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync("/Account/Login")).StatusCode.Should().Be(HttpStatusCode.OK);
        await using (assistant)
        {
            (await assistant.CallToolAsync("who_am_i", new Dictionary<string, object?>())).IsError.Should().NotBe(true);
        }

        HostMetrics.Sum(metrics.Requests, "door", "api-key").Should().Be(2, "exactly two requests carried the key");
        (HostMetrics.Sum(metrics.Requests, "door", "api") - apiBefore).Should().Be(1, "one API request carried the owner's token");
        HostMetrics.Sum(metrics.Requests, "door", "page").Should().BeGreaterThanOrEqualTo(1);
        HostMetrics.Sum(metrics.Requests, "door", "assistant").Should().BeGreaterThanOrEqualTo(1);

        metrics.Errors.RecordObservableInstruments();
        var errors = metrics.Errors.GetMeasurementSnapshot();
        errors.Select(m => m.Tags["door"]).Should().Contain(["page", "api", "api-key", "assistant", "circuit"],
            "every door's error series is there from the start");
        errors.Should().OnlyContain(m => m.Value == 0, "no request of this test failed on the server");

        // The period close runs once when the host starts, in the background: wait for it, not for a fixed time.
        await HostMetrics.WaitForAsync(metrics.JobRuns, m => Equals(m.Tags.GetValueOrDefault("job"), "billing-period-close"), TimeSpan.FromMinutes(1));
        HostMetrics.Sum(metrics.JobRuns, "job", "billing-period-close").Should().Be(1);

        // ASP.NET Core records a request's duration after its response went out, so the last one may still be on its way.
        var listed = await HostMetrics.WaitForAsync(
            metrics.RequestDuration,
            m => Equals(m.Tags.GetValueOrDefault("http.route"), "/api/organizations/") && Equals(m.Tags.GetValueOrDefault("http.request.method"), "GET"),
            TimeSpan.FromMinutes(1));
        listed.Tags["http.response.status_code"].Should().Be(200, "ASP.NET Core's own request metrics are recorded beside MultiOrg's");
    }

    [Fact]
    public async Task Each_test_host_counts_only_its_own_requests()
    {
        using var first = new ApiFactory { ExtraServices = HostMetrics.AddTo };
        using var second = new ApiFactory { ExtraServices = HostMetrics.AddTo };
        var firstMetrics = first.Services.GetRequiredService<HostMetrics>();
        var secondMetrics = second.Services.GetRequiredService<HostMetrics>();
        using var client = second.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            (await client.GetAsync("/Account/Login")).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        HostMetrics.Sum(secondMetrics.Requests, "door", "page").Should().Be(3);
        HostMetrics.Sum(firstMetrics.Requests, "door", "page").Should().Be(0, "the first host served nothing");
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
}

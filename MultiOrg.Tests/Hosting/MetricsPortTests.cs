using MultiOrg.Tests.Harness;
using System.Net;
using MultiOrg.Tests.Browser;

namespace MultiOrg.Tests.Hosting;

/// <summary>/metrics over real Kestrel ports: the management address serves it, the public one never does.</summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed class MetricsPortTests
{
    [Fact]
    public async Task The_public_port_refuses_metrics_and_the_management_address_serves_them()
    {
        await using var server = await AppServer.StartAsync(seedDemoData: false);
        using var http = new HttpClient();
        var managementPort = new Uri(server.MetricsUrl).Port;

        var onPublic = await http.GetAsync($"{server.BaseUrl}/metrics");
        using var forgedHost = new HttpRequestMessage(HttpMethod.Get, $"{server.BaseUrl}/metrics");
        forgedHost.Headers.Host = $"127.0.0.1:{managementPort}";
        var onPublicWithForgedHost = await http.SendAsync(forgedHost);
        var onManagement = await http.GetAsync($"{server.MetricsUrl}/metrics");
        var pageOnManagement = await http.GetAsync($"{server.MetricsUrl}/Account/Login");

        onPublic.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await onPublic.Content.ReadAsStringAsync()).Should().NotContain("# TYPE");
        onPublicWithForgedHost.StatusCode.Should().Be(HttpStatusCode.NotFound, "the port the connection came in on decides, not the Host header");
        onManagement.StatusCode.Should().Be(HttpStatusCode.OK);
        onManagement.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        (await onManagement.Content.ReadAsStringAsync()).Should().Contain("multiorg_request_errors_total");
        pageOnManagement.StatusCode.Should().Be(HttpStatusCode.NotFound, "the management address serves /metrics and nothing else");
    }
}

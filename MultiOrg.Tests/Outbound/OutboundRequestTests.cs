using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Web.Outbound;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Outbound;

/// <summary>
/// Addresses an organization supplies, end to end through the app with no private network allowed: the anonymous
/// sign-in start and the outbound client itself refuse the server's own network before a byte is sent, which a loopback
/// listener on the target port proves by seeing no connection. Traffic goes to loopback addresses only.
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed class OutboundRequestTests : IAsyncLifetime
{
    private const string InternalName = "internal.test";

    private DnsServer dns = null!;
    private ApiFactory app = null!;

    public async Task InitializeAsync()
    {
        dns = await DnsServer.StartAsync(new Dictionary<string, string> { [InternalName] = "127.0.0.1" });
        app = new ApiFactory(new Dictionary<string, string> { ["Dns:NameServers:0"] = dns.NameServer });
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await dns.DisposeAsync();
    }

    [Theory]
    [InlineData("127.0.0.1", "http://127.0.0.1:{0}/")]
    [InlineData("::1", "https://[::1]:{0}/")]
    [InlineData("127.0.0.1", "https://[::ffff:127.0.0.1]:{0}/")]
    [InlineData("127.0.0.1", "https://" + InternalName + ":{0}/")]
    public async Task A_provider_address_in_the_servers_own_network_is_refused_before_a_byte_is_sent(string listenOn, string authorityFormat)
    {
        using var listener = new TcpListener(IPAddress.Parse(listenOn), 0);
        listener.Start();
        var authority = string.Format(CultureInfo.InvariantCulture, authorityFormat, ((IPEndPoint)listener.LocalEndpoint).Port);
        var email = await OrganizationWithProviderAsync(authority);
        using var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var start = await anonymous.GetAsync($"/Account/Sso/Start?email={Uri.EscapeDataString(email)}");
        var direct = await FluentActions.Awaiting(() => Outbound().GetAsync(new Uri(authority + ".well-known/openid-configuration")))
            .Should().ThrowAsync<HttpRequestException>();

        start.StatusCode.Should().Be(HttpStatusCode.Redirect);
        start.Headers.Location!.OriginalString.Should().Be("/Account/Sso/Error?reason=unreachable");
        direct.Which.InnerException.Should().BeOfType<OutboundAddressRefusedException>(direct.Which.ToString());
        listener.Pending().Should().BeFalse($"nothing connected to {authority}: the connect step refused it (the outbound client said: {direct.Which.InnerException?.Message})");
    }

    [Fact]
    public async Task A_redirect_from_an_allowed_network_to_another_address_is_refused()
    {
        await using var narrow = new ApiFactory(new Dictionary<string, string> { ["OutboundRequests:AllowPrivateNetworks:0"] = "127.0.0.2/32" });
        using var target = new TcpListener(IPAddress.Loopback, 0);
        target.Start();
        using var redirector = new TcpListener(IPAddress.Parse("127.0.0.2"), 0);
        redirector.Start();
        var location = $"http://127.0.0.1:{((IPEndPoint)target.LocalEndpoint).Port}/.well-known/openid-configuration";
        var served = RedirectOnceAsync(redirector, location);

        var refused = await FluentActions.Awaiting(() =>
                narrow.Services.GetRequiredService<IHttpClientFactory>().CreateClient(OutboundHttp.ClientName)
                    .GetAsync(new Uri($"http://127.0.0.2:{((IPEndPoint)redirector.LocalEndpoint).Port}/.well-known/openid-configuration")))
            .Should().ThrowAsync<HttpRequestException>();

        (await served).Should().StartWith("GET /.well-known/openid-configuration", "the allowed provider was asked and answered with the redirect");
        refused.Which.InnerException.Should().BeOfType<OutboundAddressRefusedException>().Which.Message.Should().Contain("127.0.0.1");
        target.Pending().Should().BeFalse("the redirect's target outside the allowed network was never connected to");
    }

    [Fact]
    public async Task Single_sign_on_start_is_limited_per_address_like_sign_in()
    {
        await using var limited = new ApiFactory(new Dictionary<string, string> { ["RateLimits:SignInPerMinute"] = "3" });
        using var anonymous = limited.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await anonymous.GetAsync("/Account/Sso/Start?email=anyone@nowhere.test")).StatusCode);
        }

        statuses.Should().Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests]);
    }

    private HttpClient Outbound() => app.Services.GetRequiredService<IHttpClientFactory>().CreateClient(OutboundHttp.ClientName);

    /// <summary>
    /// An organization whose owner verified their domain and set a provider; the stored address is then replaced with the
    /// one under test, as an address saved before the operator narrowed the setting, or a name whose answer changed.
    /// </summary>
    private async Task<string> OrganizationWithProviderAsync(string authority)
    {
        var owner = await app.RegisterAsync("Olivia");
        var domain = owner.Email.Split('@')[1];
        var organizationId = await owner.CreateOrganizationAsync("Acme Outbound");
        (await owner.Client.PostAsJsonAsync($"/api/organizations/{organizationId}/join-policy/domains", new { domain })).EnsureSuccessStatusCode();
        await using (var proof = app.Database.CreateContext())
        {
            await DnsProofs.MarkProvedAsync(proof, organizationId, domain);
        }

        (await owner.Client.PutAsJsonAsync($"/api/organizations/{organizationId}/sso", new
        {
            authority = $"https://{InternalName}/",
            clientId = "multiorg",
            clientSecret = "provider-secret-never-sent",
            domains = new[] { domain },
            enabled = true,
            required = false,
            defaultRole = "MEMBER",
        })).EnsureSuccessStatusCode();
        await using var db = app.Database.CreateContext();
        await db.Set<SsoConnection>().IgnoreQueryFilters().Where(c => c.OrganizationId == organizationId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Authority, authority));
        return $"anyone@{domain}";
    }

    /// <summary>A provider inside the allowed network that answers its one request with a redirect elsewhere.</summary>
    private static async Task<string> RedirectOnceAsync(TcpListener listener, string location)
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var request = new StringBuilder();
        var buffer = new byte[4096];
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                break;
            }

            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        return request.ToString();
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Outbound;

namespace MultiOrg.Tests.SingleSignOn;

/// <summary>Reading IdP metadata from an address tells the owner that it failed, never why: the reason is the log's.</summary>
public sealed class SamlMetadataAddressTests : IAsyncLifetime
{
    private const string LoopbackName = "idp.loopback.test";

    private readonly ApiFactory factory = new() { ExtraServices = services => services.AddSingleton<INameResolver>(new FixedResolver()) };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    /// <summary>One name that resolves to the loopback address, every other one unknown (as the system resolver says of a name nobody serves).</summary>
    private sealed class FixedResolver : INameResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
            host == LoopbackName ? Task.FromResult(new[] { IPAddress.Loopback }) : throw new SocketException((int)SocketError.HostNotFound);
    }

    [Fact]
    public async Task A_loopback_and_an_unresolvable_metadata_address_get_the_same_answer()
    {
        var owner = await factory.RegisterAsync("owner");
        var organizationId = await owner.CreateOrganizationAsync("Metadata oracle");
        var path = $"/api/organizations/{organizationId}/saml";

        async Task<string> RefusalAsync(string address)
        {
            var response = await owner.Client.PutAsJsonAsync(path, new { metadataUrl = address, domains = new[] { "example.test" }, enabled = true, required = false });
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, body);
            return (await response.JsonAsync()).GetProperty("errors").GetProperty("metadataUrl")[0].GetString()!;
        }

        var loopback = await RefusalAsync($"https://{LoopbackName}/metadata.xml");
        var unresolvable = await RefusalAsync("https://idp.nowhere.test/metadata.xml");

        loopback.Should().Be(unresolvable, "the answer must not tell an internal address from a missing one");
        loopback.Should().NotContainAny("127.0.0.1", "resolve", "known", "SSL", LoopbackName);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Tests.Support;
using MultiOrg.Web.Assistant;
using static MultiOrg.Tests.Support.AssistantOAuth;

namespace MultiOrg.Tests.Api;

/// <summary>
/// MultiOrg as the authorization server of its assistant connections, driven by the MCP SDK's own client and its OAuth
/// support over the test host. What a grant reaches: the tools of the organizations it names, through the one URL it was
/// issued for, while its person stands; what a registration reaches: the consent page and its own redirect addresses.
/// </summary>
public sealed class AssistantOAuthTests : IClassFixture<AssistantOAuthTests.World>
{
    private readonly World world;

    public AssistantOAuthTests(World world) => this.world = world;

    /// <summary>Every use re-reads the person's standing (<c>AccessTokens:RecheckAfter</c> zero), so sign-out-everywhere shows at once.</summary>
    public sealed class World : IAsyncLifetime
    {
        public ApiFactory Factory { get; } = new(new Dictionary<string, string> { ["AccessTokens:RecheckAfter"] = "00:00:00" });

        public ApiUser Owner { get; private set; } = null!;

        public ApiUser Member { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Owner = await Factory.RegisterAsync("owner");
            Member = await Factory.RegisterAsync("member");
        }

        public Task DisposeAsync() => Factory.DisposeAsync().AsTask();
    }

    [Fact]
    public async Task An_unauthenticated_request_gets_401_naming_the_metadata_that_leads_to_this_authorization_server()
    {
        var id = await world.Owner.CreateOrganizationAsync("Discovered");
        using var http = world.Factory.CreateClient();

        var challenge = await http.SendAsync(McpRequests.JsonRpc(id, "initialize"));
        var resource = await http.GetFromJsonAsync<JsonElement>($"/.well-known/oauth-protected-resource/mcp/{id}");
        var server = await http.GetFromJsonAsync<JsonElement>("/.well-known/oauth-authorization-server");
        var elsewhere = await http.GetAsync("/.well-known/oauth-protected-resource/api/auth/manage/info");

        challenge.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        challenge.Headers.WwwAuthenticate.ToString().Should().Contain($"resource_metadata=\"http://localhost/.well-known/oauth-protected-resource/mcp/{id}\"");
        resource.GetProperty("resource").GetString().Should().Be($"http://localhost/mcp/{id}");
        resource.GetProperty("authorization_servers").EnumerateArray().Select(s => s.GetString()).Should().Equal("http://localhost/");
        server.GetProperty("issuer").GetString().Should().Be("http://localhost/");
        server.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(m => m.GetString()).Should().Equal("S256");
        server.GetProperty("grant_types_supported").EnumerateArray().Select(m => m.GetString()).Should().BeEquivalentTo("authorization_code", "refresh_token");
        server.GetProperty("registration_endpoint").GetString().Should().Be("http://localhost/oauth/register");
        elsewhere.StatusCode.Should().NotBe(HttpStatusCode.OK, "only assistant endpoints are protected resources");
    }

    [Fact]
    public async Task An_assistant_registers_is_allowed_calls_tools_refreshes_and_stops_when_revoked()
    {
        var id = await world.Owner.CreateOrganizationAsync("Connected");
        await world.Owner.AddMemberAsync(id, world.Member, "ADMIN");
        var (client, oauth) = await world.Factory.ConnectAssistantAsync(world.Member, id);
        await using var _ = client;

        var me = await CallAsync(client, "who_am_i");
        var members = await CallAsync(client, "list_members");
        var first = oauth.Tokens.Current!;
        oauth.Tokens.Age();
        var afterRefresh = await CallAsync(client, "who_am_i");
        var refreshed = oauth.Tokens.Current!;
        using var replay = world.Factory.CreateClient();
        var replayed = await replay.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = first.RefreshToken!, ["client_id"] = first.ClientId!, ["client_secret"] = first.ClientSecret ?? "",
        }));

        me.GetProperty("user").GetProperty("id").GetString().Should().Be(world.Member.Id);
        me.GetProperty("organization").GetProperty("role").GetString().Should().Be("ADMIN");
        me.GetProperty("connection").GetString().Should().Be("assistant connection");
        members.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("userId").GetString()).Should().BeEquivalentTo(world.Owner.Id, world.Member.Id);
        afterRefresh.GetProperty("organization").GetProperty("id").GetGuid().Should().Be(id);
        refreshed.AccessToken.Should().NotBe(first.AccessToken);
        refreshed.RefreshToken.Should().NotBeNullOrEmpty().And.NotBe(first.RefreshToken, "refresh tokens rotate");
        replayed.StatusCode.Should().Be(HttpStatusCode.BadRequest, "a used refresh token is spent");
        oauth.Authorizations.Should().Be(1);

        await using (var scope = world.Factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().SetUser(world.Member.Id);
            var grants = scope.ServiceProvider.GetRequiredService<AssistantGrants>();
            var grant = (await grants.ListMineAsync()).Should().ContainSingle().Subject;
            grant.ClientName.Should().Be("Test assistant");
            grant.Organizations.Should().Equal("Connected");
            await grants.RevokeMineAsync(grant.Id);
        }

        // The person would not allow it again: the client's new authorization request gets no answer.
        oauth.Consent = _ => Task.FromResult<Uri?>(null);

        var revoked = await ErrorOfAsync(client, "who_am_i");
        using var raw = world.Factory.CreateClient();
        var rawRevoked = await raw.SendAsync(McpRequests.JsonRpc(id, "initialize", bearer: refreshed.AccessToken));

        revoked.Should().NotBeEmpty();
        rawRevoked.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a revoked grant's access token stops at once");
        oauth.Authorizations.Should().Be(2, "after the revocation the client had to send the person to consent again (refused here)");
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_the_assistant_connection_and_its_refresh()
    {
        var id = await world.Owner.CreateOrganizationAsync("Signed out");
        var person = await world.Factory.RegisterAsync("leaver");
        await world.Owner.AddMemberAsync(id, person, "MEMBER");
        var (client, oauth) = await world.Factory.ConnectAssistantAsync(person, id);
        await using var _ = client;
        (await CallAsync(client, "who_am_i")).GetProperty("organization").GetProperty("id").GetGuid().Should().Be(id);
        var tokens = oauth.Tokens.Current!;

        (await world.Owner.Client.PostAsync($"/api/organizations/{id}/security/members/{person.Id}/sign-out-everywhere", null)).EnsureSuccessStatusCode();

        using var raw = world.Factory.CreateClient();
        var access = await raw.SendAsync(McpRequests.JsonRpc(id, "initialize", bearer: tokens.AccessToken));
        var refresh = await raw.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = tokens.RefreshToken!, ["client_id"] = tokens.ClientId!, ["client_secret"] = tokens.ClientSecret ?? "",
        }));
        access.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        refresh.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refresh.Content.ReadAsStringAsync()).Should().Contain("invalid_grant");
    }

    [Fact]
    public async Task A_token_granted_for_one_organization_is_refused_on_another_and_by_the_json_api()
    {
        var granted = await world.Owner.CreateOrganizationAsync("Granted A");
        var other = await world.Owner.CreateOrganizationAsync("Other B");
        var (client, oauth) = await world.Factory.ConnectAssistantAsync(world.Owner, granted, other);
        await using var _ = client;
        var token = oauth.Tokens.Current!.AccessToken;
        using var raw = world.Factory.CreateClient();

        var onOther = await raw.SendAsync(McpRequests.JsonRpc(other, "initialize", bearer: token));
        var onGranted = await raw.SendAsync(McpRequests.JsonRpc(granted, "initialize", bearer: token));
        raw.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var api = await raw.GetAsync($"/api/organizations/{granted}");
        var account = await raw.GetAsync("/api/auth/manage/info");
        var mine = await raw.GetAsync("/api/organizations");

        onGranted.StatusCode.Should().Be(HttpStatusCode.OK);
        onOther.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the token's audience is A's address, even though B is in the grant");
        api.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        account.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        mine.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_json_apis_sign_in_token_is_refused_by_the_assistant_endpoint()
    {
        var id = await world.Owner.CreateOrganizationAsync("No sign-in tokens");
        using var raw = world.Factory.CreateClient();

        var response = await raw.SendAsync(McpRequests.JsonRpc(id, "initialize", bearer: world.Owner.Client.DefaultRequestHeaders.Authorization!.Parameter));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Switching_reaches_only_the_organizations_the_grant_covers()
    {
        var first = await world.Owner.CreateOrganizationAsync("Grant first");
        var second = await world.Owner.CreateOrganizationAsync("Grant second");
        var notGranted = await world.Owner.CreateOrganizationAsync("Not in the grant");
        var (client, _) = await world.Factory.ConnectAssistantAsync(world.Owner, first, second);
        await using var __ = client;

        var toSecond = await CallAsync(client, "switch_organization", new() { ["organizationId"] = second });
        var toOther = await ErrorOfAsync(client, "switch_organization", new() { ["organizationId"] = notGranted });

        toSecond.GetProperty("switchedTo").GetProperty("name").GetString().Should().Be("Grant second");
        toOther.Should().Contain("was not granted that organization");
        (await CallAsync(client, "organization_details")).GetProperty("name").GetString().Should().Be("Grant second");
    }

    [Fact]
    public async Task Removal_from_the_organization_leaves_the_connection_nothing_there()
    {
        var id = await world.Owner.CreateOrganizationAsync("Removed from");
        var person = await world.Factory.RegisterAsync("removed");
        await world.Owner.AddMemberAsync(id, person, "ADMIN");
        var (client, _) = await world.Factory.ConnectAssistantAsync(person, id);
        await using var __ = client;
        (await CallAsync(client, "list_members")).GetProperty("items").GetArrayLength().Should().Be(2);

        (await world.Owner.Client.DeleteAsync($"/api/organizations/{id}/members/{person.Id}")).EnsureSuccessStatusCode();

        (await ErrorOfAsync(client, "list_members")).Should().Contain("You don't have access to this organization");
    }
}

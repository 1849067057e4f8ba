using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Domain.Tenancy;
using static MultiOrg.Tests.Harness.AssistantOAuth;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Features.Assistant;

namespace MultiOrg.Tests.Assistant;

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

        using var raw = world.Factory.CreateClient();
        var rawRevoked = await raw.SendAsync(McpRequests.JsonRpc(id, "initialize", bearer: refreshed.AccessToken));
        var revoked = await ErrorOfAsync(client, "who_am_i");

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
        using var exchange = world.Factory.CreateClient();
        var current = oauth.Tokens.Current!;
        var widened = await exchange.PostAsync("/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = current.RefreshToken!, ["client_id"] = current.ClientId!,
            ["client_secret"] = current.ClientSecret ?? "", ["resource"] = $"http://localhost/mcp/{other}",
        }));
        var widenedToken = widened.IsSuccessStatusCode ? (await widened.JsonAsync()).GetProperty("access_token").GetString() : null;
        var widenedOnOther = widenedToken is null ? null : (HttpStatusCode?)(await exchange.SendAsync(McpRequests.JsonRpc(other, "initialize", bearer: widenedToken))).StatusCode;

        onGranted.StatusCode.Should().Be(HttpStatusCode.OK);
        onOther.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the token's audience is A's address, even though B is in the grant");
        api.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        account.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        mine.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        widenedOnOther.Should().NotBe(HttpStatusCode.OK, $"a refresh naming another resource never widens the token (exchange answered {(int)widened.StatusCode})");
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
    public async Task Listing_my_organizations_shows_only_the_organizations_the_grant_covers()
    {
        var first = await world.Owner.CreateOrganizationAsync("Listed first");
        var second = await world.Owner.CreateOrganizationAsync("Listed second");
        var notGranted = await world.Owner.CreateOrganizationAsync("Listed not granted");
        var (client, _) = await world.Factory.ConnectAssistantAsync(world.Owner, first, second);
        await using var __ = client;

        var listed = await CallAsync(client, "list_my_organizations");

        listed.EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).Should().BeEquivalentTo(
            new[] { first, second }, $"the person's other organizations (such as {notGranted}) are outside the grant");
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

    [Theory]
    [InlineData("http://evil.example/callback")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,hi")]
    [InlineData("com.example.app:/callback")]
    [InlineData("https://example.test/callback#fragment")]
    [InlineData("https://user:secret@example.test/callback")]
    [InlineData("/relative/callback")]
    public async Task Registration_refuses_a_redirect_address_that_is_not_https_or_loopback_http(string redirect)
    {
        using var http = world.Factory.CreateClient();

        var response = await http.PostAsJsonAsync("/oauth/register", new { redirect_uris = new[] { redirect }, client_name = "Sneaky" });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var error = await response.JsonAsync();
        error.GetProperty("error").GetString().Should().Be("invalid_redirect_uri");
        error.GetProperty("error_description").GetString().Should().StartWith("redirect_uris:");
    }

    [Fact]
    public async Task Registration_bounds_what_a_client_may_declare()
    {
        using var http = world.Factory.CreateClient();

        var tooMany = await http.PostAsJsonAsync("/oauth/register", new { redirect_uris = Enumerable.Range(0, 6).Select(i => $"https://example.test/{i}").ToArray() });
        var tooLong = await http.PostAsJsonAsync("/oauth/register", new { redirect_uris = new[] { "https://example.test/" + new string('a', 600) } });
        var longName = await http.PostAsJsonAsync("/oauth/register", new { redirect_uris = new[] { "https://example.test/cb" }, client_name = new string('n', 101) });
        var implicitGrant = await http.PostAsJsonAsync("/oauth/register", new { redirect_uris = new[] { "https://example.test/cb" }, grant_types = new[] { "implicit" } });
        var hugeBody = await http.PostAsync("/oauth/register", new StringContent("{\"redirect_uris\":[\"https://example.test/cb\"],\"x\":\"" + new string('x', 20_000) + "\"}", System.Text.Encoding.UTF8, "application/json"));
        var notJson = await http.PostAsync("/oauth/register", new StringContent("redirect_uris=https://example.test/cb", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        var good = await http.PostAsJsonAsync("/oauth/register", new { redirect_uris = new[] { "https://claude.example/api/mcp/auth_callback", "http://127.0.0.1:33418/" }, client_name = " Good assistant ", token_endpoint_auth_method = "none" });

        foreach (var refused in new[] { tooMany, tooLong, longName, implicitGrant, hugeBody, notJson })
        {
            refused.StatusCode.Should().Be(HttpStatusCode.BadRequest, await refused.Content.ReadAsStringAsync());
        }

        good.StatusCode.Should().Be(HttpStatusCode.Created);
        var registered = await good.JsonAsync();
        registered.GetProperty("client_id").GetString().Should().StartWith("mcp_");
        registered.TryGetProperty("client_secret", out _).Should().BeFalse("a public client gets no secret");
        registered.GetProperty("client_name").GetString().Should().Be("Good assistant");
    }

    [Theory]
    [InlineData("Claude (Anthropic)\u202e\u200b verified by MultiOrg", "U+202E")]
    [InlineData("Claude\u200b (Anthropic)", "U+200B")]
    [InlineData("Claude \u2066(Anthropic)\u2069", "U+2066")]
    [InlineData("Good\u0007 assistant", "U+0007")]
    public async Task Registration_refuses_a_client_name_with_control_text_direction_or_invisible_characters(string name, string found)
    {
        using var http = world.Factory.CreateClient();

        var response = await http.PostAsJsonAsync("/oauth/register", new { redirect_uris = new[] { "https://example.test/cb" }, client_name = name });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, "the consent page would show a spoofed name");
        var error = await response.JsonAsync();
        error.GetProperty("error").GetString().Should().Be("invalid_client_metadata");
        error.GetProperty("error_description").GetString().Should().StartWith("client_name").And.Contain(found);
    }

    [Fact]
    public async Task Registrations_are_limited_per_client_address()
    {
        await using var limited = new ApiFactory(new Dictionary<string, string> { ["RateLimits:ClientRegistrationPerMinute"] = "2" });
        using var http = limited.CreateClient();

        var answers = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            answers.Add((await http.PostAsJsonAsync("/oauth/register", new { redirect_uris = new[] { "https://example.test/cb" } })).StatusCode);
        }

        answers.Should().Equal(HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Authorization_refuses_plain_pkce_and_resources_that_are_not_an_assistant_address_of_this_server()
    {
        var id = await world.Owner.CreateOrganizationAsync("Authorize checks");
        using var http = world.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var registered = await (await http.PostAsJsonAsync("/oauth/register", new { redirect_uris = new[] { "http://127.0.0.1:9/cb" }, token_endpoint_auth_method = "none" })).JsonAsync();
        var clientId = registered.GetProperty("client_id").GetString()!;
        string Authorize(string resource, string method = "S256") =>
            $"/oauth/authorize?response_type=code&client_id={clientId}&redirect_uri={Uri.EscapeDataString("http://127.0.0.1:9/cb")}&state=s"
            + $"&code_challenge=E9Melhoe2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method={method}&resource={Uri.EscapeDataString(resource)}";

        var plain = await http.GetAsync(Authorize($"http://localhost/mcp/{id}", "plain"));
        var foreignServer = await http.GetAsync(Authorize($"https://evil.example/mcp/{id}"));
        var jsonApi = await http.GetAsync(Authorize($"http://localhost/api/organizations/{id}"));
        var otherRedirect = await http.GetAsync(Authorize($"http://localhost/mcp/{id}").Replace("127.0.0.1%3A9", "127.0.0.1%3A10", StringComparison.Ordinal));
        var good = await http.GetAsync(Authorize($"http://localhost/mcp/{id}"));

        static string Answer(HttpResponseMessage response) => $"{(int)response.StatusCode} {response.Headers.Location}";
        Answer(plain).Should().StartWith("400", "plain PKCE is refused outright: only S256 is offered");
        Answer(foreignServer).Should().Contain("error=invalid_target");
        Answer(jsonApi).Should().Contain("error=invalid_target");
        otherRedirect.StatusCode.Should().Be(HttpStatusCode.BadRequest, "an unregistered redirect address never receives an answer");
        Answer(good).Should().Contain("/Account/Login", "an anonymous person signs in first");
    }
}

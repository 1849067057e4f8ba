using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Assistant;

/// <summary>The assistant endpoint, driven by the MCP SDK's own client over the test host.</summary>
public sealed class AssistantMcpTests(ApiWorld world) : IClassFixture<ApiWorld>
{
    private async Task<McpClient> ConnectAsync(Guid organizationId, string bearer)
    {
        var http = world.Factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(http.BaseAddress!, $"/mcp/{organizationId}"), TransportMode = HttpTransportMode.StreamableHttp },
            http,
            ownsHttpClient: true);
        return await McpClient.CreateAsync(transport);
    }

    /// <summary>The person connects the SDK's client through the OAuth flow and the consent page (allowing the extra organizations).</summary>
    private async Task<McpClient> ConnectAsync(Guid organizationId, ApiUser person, params Guid[] alsoGrant) =>
        (await world.Factory.ConnectAssistantAsync(person, organizationId, alsoGrant)).Client;

    private Task<string> Token(ApiUser user, Guid organizationId) => world.Factory.AssistantTokenAsync(user, organizationId);

    private static async Task<JsonElement> CallAsync(McpClient client, string tool, Dictionary<string, object?>? arguments = null)
    {
        var result = await client.CallToolAsync(tool, arguments ?? []);
        result.IsError.Should().NotBe(true, string.Join(" ", result.Content.OfType<TextContentBlock>().Select(t => t.Text)));
        return JsonDocument.Parse(result.Content.OfType<TextContentBlock>().Single().Text).RootElement;
    }

    private static async Task<string> ErrorOfAsync(McpClient client, string tool, Dictionary<string, object?>? arguments = null)
    {
        try
        {
            var result = await client.CallToolAsync(tool, arguments ?? []);
            result.IsError.Should().BeTrue();
            return string.Join(" ", result.Content.OfType<TextContentBlock>().Select(t => t.Text));
        }
        catch (McpException error)
        {
            return error.Message;
        }
    }

    [Fact]
    public async Task The_tool_list_names_every_assistant_tool()
    {
        var id = await world.FullOrganizationAsync("Assisted");
        await using var client = await ConnectAsync(id, world.Owner);

        var tools = await client.ListToolsAsync();

        tools.Select(t => t.Name).Should().BeEquivalentTo(
            "who_am_i", "list_my_organizations", "switch_organization", "organization_details", "list_members", "list_clients", "chart_of_accounts");
    }

    [Fact]
    public async Task Each_tool_answers_for_the_connections_organization()
    {
        var id = await world.FullOrganizationAsync("Tool answers");
        await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{id}/accounts", new { number = "1000", name = "Cash", type = "Asset" });
        await using var client = await ConnectAsync(id, world.Admin);

        var me = await CallAsync(client, "who_am_i");
        var details = await CallAsync(client, "organization_details");
        var members = await CallAsync(client, "list_members", new() { ["search"] = "target" });
        var chart = await CallAsync(client, "chart_of_accounts");
        var mine = await CallAsync(client, "list_my_organizations");
        var clients = await CallAsync(client, "list_clients");

        me.GetProperty("organization").GetProperty("id").GetGuid().Should().Be(id);
        me.GetProperty("organization").GetProperty("role").GetString().Should().Be("ADMIN");
        details.GetProperty("name").GetString().Should().Be("Tool answers");
        details.GetProperty("memberCount").GetInt32().Should().Be(5);
        members.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("userId").GetString()).Should().Equal(world.Target.Id);
        chart.EnumerateArray().Select(a => a.GetProperty("number").GetString()).Should().Equal("1000");
        mine.EnumerateArray().Should().Contain(o => o.GetProperty("id").GetGuid() == id);
        clients.GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Switching_within_one_session_moves_the_rest_of_the_session()
    {
        var first = await world.Owner.CreateOrganizationAsync("Session first");
        var second = await world.Owner.CreateOrganizationAsync("Session second");
        await using var client = await ConnectAsync(first, world.Owner, second);
        (await CallAsync(client, "organization_details")).GetProperty("name").GetString().Should().Be("Session first");

        var switched = await CallAsync(client, "switch_organization", new() { ["organizationId"] = second });

        switched.GetProperty("switchedTo").GetProperty("name").GetString().Should().Be("Session second");
        (await CallAsync(client, "organization_details")).GetProperty("name").GetString().Should().Be("Session second");
        await using var other = await ConnectAsync(first, world.Owner);
        (await CallAsync(other, "organization_details")).GetProperty("name").GetString().Should().Be("Session first", "another session is untouched");
    }

    [Fact]
    public async Task Crossing_into_an_organization_the_user_does_not_belong_to_is_refused()
    {
        var mine = await world.Member.CreateOrganizationAsync("Member's own");
        var foreign = await world.Outsider.CreateOrganizationAsync("Not yours");
        await using var client = await ConnectAsync(mine, world.Member);

        var error = await ErrorOfAsync(client, "switch_organization", new() { ["organizationId"] = foreign });

        error.Should().Contain("was not granted that organization", "the grant names the organizations it reaches, whatever the person's own access");
        (await CallAsync(client, "organization_details")).GetProperty("name").GetString().Should().Be("Member's own");
    }

    [Fact]
    public async Task A_connection_made_with_a_key_can_never_reach_another_organization()
    {
        var keyed = await world.Owner.CreateOrganizationAsync("Key connection");
        var other = await world.Owner.CreateOrganizationAsync("Owner's other org");
        var created = await (await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{keyed}/api-keys", new { name = "assistant", role = "ADMIN" })).JsonAsync();
        var secret = created.GetProperty("secret").GetString()!;

        await using var client = await ConnectAsync(keyed, secret);
        var switchError = await ErrorOfAsync(client, "switch_organization", new() { ["organizationId"] = other });
        var mine = await CallAsync(client, "list_my_organizations");

        switchError.Should().Contain("stays in that organization");
        mine.EnumerateArray().Select(o => o.GetProperty("id").GetGuid()).Should().Equal(keyed);
        using var http = world.Factory.CreateClient();
        (await http.SendAsync(McpRequests.JsonRpc(other, "initialize", bearer: secret))).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "another organization's endpoint does not take the key");
    }

    [Fact]
    public async Task Without_credentials_the_assistant_endpoint_answers_401_with_a_bearer_challenge()
    {
        var id = await world.Owner.CreateOrganizationAsync("Challenged");
        using var anonymous = world.Factory.CreateClient();

        var response = await anonymous.SendAsync(McpRequests.JsonRpc(id, "initialize"));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Select(h => h.Scheme).Should().Contain("Bearer");
    }

    [Fact]
    public async Task A_strangers_organization_answers_the_assistant_exactly_as_a_missing_one()
    {
        var mine = await world.Member.CreateOrganizationAsync("Member's assistant");
        var foreign = await world.Outsider.CreateOrganizationAsync("Stranger's assistant");
        var token = await Token(world.Member, mine);
        using var http = world.Factory.CreateClient();

        var strangerOpen = await http.SendAsync(McpRequests.JsonRpc(foreign, "initialize", bearer: token));
        var missingOpen = await http.SendAsync(McpRequests.JsonRpc(Guid.NewGuid(), "initialize", bearer: token));

        strangerOpen.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the token was issued for the member's own organization's address");
        missingOpen.StatusCode.Should().Be(strangerOpen.StatusCode);
        missingOpen.Headers.WwwAuthenticate.Select(h => h.Scheme).Should().Equal(strangerOpen.Headers.WwwAuthenticate.Select(h => h.Scheme));
    }

    [Fact]
    public async Task A_session_opened_with_a_key_is_refused_to_its_creators_token_and_to_anyone_else()
    {
        var keyed = await world.Owner.CreateOrganizationAsync("Bound session");
        var created = await (await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{keyed}/api-keys", new { name = "bound", role = "ADMIN" })).JsonAsync();
        var secret = created.GetProperty("secret").GetString()!;
        await using var client = await ConnectAsync(keyed, secret);
        var sessionId = client.SessionId!;
        using var http = world.Factory.CreateClient();

        var sameKey = await http.SendAsync(McpRequests.JsonRpc(keyed, "tools/list", sessionId, secret));
        var creator = await http.SendAsync(McpRequests.JsonRpc(keyed, "tools/list", sessionId, await Token(world.Owner, keyed)));
        var stranger = await http.SendAsync(McpRequests.JsonRpc(keyed, "tools/list", sessionId, await Token(world.Outsider, await world.Outsider.CreateOrganizationAsync("Outsider's own"))));

        sameKey.StatusCode.Should().Be(HttpStatusCode.OK);
        creator.StatusCode.Should().Be(HttpStatusCode.Forbidden, "the session belongs to the key, not to the person who made it");
        stranger.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a token for another organization's address is no credential here");
    }

    [Fact]
    public async Task A_session_opened_by_a_person_is_refused_to_that_persons_keys()
    {
        var keyed = await world.Owner.CreateOrganizationAsync("Person's session");
        var created = await (await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{keyed}/api-keys", new { name = "other door", role = "ADMIN" })).JsonAsync();
        await using var client = await ConnectAsync(keyed, world.Owner);
        using var http = world.Factory.CreateClient();

        var withKey = await http.SendAsync(McpRequests.JsonRpc(keyed, "tools/list", client.SessionId, created.GetProperty("secret").GetString()));

        withKey.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }
}

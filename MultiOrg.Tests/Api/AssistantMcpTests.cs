using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using MultiOrg.Tests.Support;

namespace MultiOrg.Tests.Api;

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

    private static string Token(ApiUser user) => user.Client.DefaultRequestHeaders.Authorization!.Parameter!;

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
        await using var client = await ConnectAsync(id, Token(world.Owner));

        var tools = await client.ListToolsAsync();

        tools.Select(t => t.Name).Should().BeEquivalentTo(
            "who_am_i", "list_my_organizations", "switch_organization", "organization_details", "list_members", "list_clients", "chart_of_accounts");
    }

    [Fact]
    public async Task Each_tool_answers_for_the_connections_organization()
    {
        var id = await world.FullOrganizationAsync("Tool answers");
        await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{id}/accounts", new { number = "1000", name = "Cash", type = "Asset" });
        await using var client = await ConnectAsync(id, Token(world.Admin));

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
        await using var client = await ConnectAsync(first, Token(world.Owner));
        (await CallAsync(client, "organization_details")).GetProperty("name").GetString().Should().Be("Session first");

        var switched = await CallAsync(client, "switch_organization", new() { ["organizationId"] = second });

        switched.GetProperty("switchedTo").GetProperty("name").GetString().Should().Be("Session second");
        (await CallAsync(client, "organization_details")).GetProperty("name").GetString().Should().Be("Session second");
        await using var other = await ConnectAsync(first, Token(world.Owner));
        (await CallAsync(other, "organization_details")).GetProperty("name").GetString().Should().Be("Session first", "another session is untouched");
    }

    [Fact]
    public async Task Crossing_into_an_organization_the_user_does_not_belong_to_is_refused()
    {
        var mine = await world.Member.CreateOrganizationAsync("Member's own");
        var foreign = await world.Outsider.CreateOrganizationAsync("Not yours");
        await using var client = await ConnectAsync(mine, Token(world.Member));

        var error = await ErrorOfAsync(client, "switch_organization", new() { ["organizationId"] = foreign });

        error.Should().Contain("You don't have access to this organization");
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
        await using var wrongUrl = await ConnectAsync(other, secret);
        (await ErrorOfAsync(wrongUrl, "organization_details")).Should().Contain("You don't have access to this organization");
    }
}

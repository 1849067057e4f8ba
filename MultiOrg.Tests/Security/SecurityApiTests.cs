using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Security;

public sealed class SecurityApiTests(ApiWorld world) : IClassFixture<ApiWorld>
{
    private async Task<HttpClient> CookieClientAsync(ApiUser user)
    {
        var client = world.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        var login = await client.PostAsJsonAsync("/api/auth/login?useCookies=true", new { email = user.Email, password = ApiFactory.Password });
        login.EnsureSuccessStatusCode();
        return client;
    }

    [Fact]
    public async Task The_api_does_not_accept_the_browser_sign_in_cookie()
    {
        var id = await world.Owner.CreateOrganizationAsync("Cookie target");
        using var cookieClient = await CookieClientAsync(world.Owner);

        var response = await cookieClient.PostAsync($"/api/organizations/{id}/switch", null);
        var me = await cookieClient.GetAsync("/api/auth/me");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        me.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Opening_an_organization_page_without_a_live_circuit_does_not_change_the_last_used_organization()
    {
        var first = await world.Admin.CreateOrganizationAsync("Stay here");
        var other = await world.Admin.CreateOrganizationAsync("Linked to");
        await world.Admin.Client.PostAsync($"/api/organizations/{first}/switch", null);
        using var cookieClient = await CookieClientAsync(world.Admin);

        var page = await cookieClient.GetAsync($"/organizations/{other}/dashboard");

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        var me = await world.Admin.Client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        me.GetProperty("currentOrganization").GetProperty("id").GetGuid().Should().Be(first);
    }

    [Fact]
    public async Task A_huge_page_number_is_refused_naming_page_not_overflowed()
    {
        var id = await world.FullOrganizationAsync();

        var response = await world.Member.Client.GetAsync($"/api/organizations/{id}/members?page={int.MaxValue}&pageSize=200");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("detail").GetString().Should().Contain("page");
    }

    [Fact]
    public async Task Bad_json_is_described_without_internal_type_names()
    {
        var id = await world.FullOrganizationAsync();

        var response = await world.Owner.Client.PostAsync($"/api/organizations/{id}/members",
            new StringContent("{\"email\":\"x@example.test\",\"role\":\"KING\"}", System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var detail = (await response.JsonAsync()).GetProperty("detail").GetString();
        detail.Should().Be("The value at '$.role' in the request body is not valid.");
        detail.Should().NotContain("MultiOrg.");
    }
}

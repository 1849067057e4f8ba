using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Members;

public sealed class MembersApiTests(ApiWorld world) : IClassFixture<ApiWorld>
{
    [Fact]
    public async Task Adding_an_unknown_email_is_404_with_the_documented_message()
    {
        var id = await world.FullOrganizationAsync();

        var response = await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{id}/members", new { email = "ghost@example.test" });

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.JsonAsync()).GetProperty("detail").GetString().Should().Be("User not found. They must create an account first.");
    }

    [Fact]
    public async Task Adding_an_existing_member_is_409()
    {
        var id = await world.FullOrganizationAsync();

        var response = await world.Admin.Client.PostAsJsonAsync($"/api/organizations/{id}/members", new { email = world.Member.Email });

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Added_member_is_listed_with_role_and_defaults_to_member()
    {
        var id = await world.Owner.CreateOrganizationAsync("Small");

        var response = await world.Owner.Client.PostAsJsonAsync($"/api/organizations/{id}/members", new { email = world.Member.Email });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var page = await world.Member.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{id}/members");
        page.GetProperty("total").GetInt32().Should().Be(2);
        page.GetProperty("items").EnumerateArray().Should().Contain(m =>
            m.GetProperty("userId").GetString() == world.Member.Id && m.GetProperty("role").GetString() == "MEMBER");
    }

    [Fact]
    public async Task Members_list_pages_and_searches()
    {
        var id = await world.FullOrganizationAsync();

        var page = await world.Member.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{id}/members?pageSize=2&page=2&sort=Email");
        var search = await world.Member.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{id}/members?search=target");

        page.GetProperty("total").GetInt32().Should().Be(5);
        page.GetProperty("items").GetArrayLength().Should().Be(2);
        search.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("userId").GetString()).Should().Equal(world.Target.Id);
    }

    [Fact]
    public async Task Owner_changes_a_role_and_it_shows_in_the_list()
    {
        var id = await world.FullOrganizationAsync();

        var response = await world.Owner.Client.PatchAsJsonAsync($"/api/organizations/{id}/members/{world.Target.Id}", new { role = "ADMIN" });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.JsonAsync()).GetProperty("role").GetString().Should().Be("ADMIN");
        var targetView = await world.Target.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{id}");
        targetView.GetProperty("role").GetString().Should().Be("ADMIN");
    }

    [Theory]
    [InlineData("{\"role\":\"SUPERUSER\"}")]
    [InlineData("{\"role\":7}")]
    [InlineData("{}")]
    public async Task An_invalid_role_is_400(string json)
    {
        var id = await world.FullOrganizationAsync();

        var response = await world.Owner.Client.PatchAsync(
            $"/api/organizations/{id}/members/{world.Target.Id}", new StringContent(json, Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.JsonAsync()).GetProperty("detail").GetString().Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task An_admin_cannot_remove_an_owner()
    {
        var id = await world.FullOrganizationAsync();

        var response = await world.Admin.Client.DeleteAsync($"/api/organizations/{id}/members/{world.Owner.Id}");

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.JsonAsync()).GetProperty("detail").GetString().Should().Be("Only an owner can remove an owner.");
    }

    [Fact]
    public async Task The_sole_owner_cannot_leave_or_demote_themself_and_each_refusal_names_what_was_tried()
    {
        var id = await world.Owner.CreateOrganizationAsync("Solo");
        await world.Owner.AddMemberAsync(id, world.Admin, "ADMIN");

        var leave = await world.Owner.Client.DeleteAsync($"/api/organizations/{id}/leave");
        var demote = await world.Owner.Client.PatchAsJsonAsync($"/api/organizations/{id}/members/{world.Owner.Id}", new { role = "MEMBER" });

        leave.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await leave.JsonAsync()).GetProperty("detail").GetString().Should().Be("Transfer ownership before leaving");
        demote.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await demote.JsonAsync()).GetProperty("detail").GetString().Should()
            .Be("This is the last OWNER: make another member OWNER before changing this role.", "demoting is not leaving");
    }

    [Fact]
    public async Task After_promoting_a_second_owner_the_first_may_leave()
    {
        var id = await world.Owner.CreateOrganizationAsync("Handover");
        await world.Owner.AddMemberAsync(id, world.Admin, "ADMIN");
        (await world.Owner.Client.PatchAsJsonAsync($"/api/organizations/{id}/members/{world.Admin.Id}", new { role = "OWNER" }))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        var leave = await world.Owner.Client.DeleteAsync($"/api/organizations/{id}/leave");

        leave.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await world.Owner.Client.GetAsync($"/api/organizations/{id}")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_removed_member_loses_access_at_once()
    {
        var id = await world.FullOrganizationAsync();

        (await world.Admin.Client.DeleteAsync($"/api/organizations/{id}/members/{world.Target.Id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await world.Target.Client.GetAsync($"/api/organizations/{id}")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Changing_or_removing_someone_who_is_not_a_member_here_is_404()
    {
        var id = await world.Owner.CreateOrganizationAsync("Lonely");

        var change = await world.Owner.Client.PatchAsJsonAsync($"/api/organizations/{id}/members/{world.Outsider.Id}", new { role = "ADMIN" });
        var remove = await world.Owner.Client.DeleteAsync($"/api/organizations/{id}/members/{world.Outsider.Id}");

        change.StatusCode.Should().Be(HttpStatusCode.NotFound);
        remove.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Members;

/// <summary>Bulk role change, bulk remove and the CSV export over real HTTP.</summary>
public sealed class BulkMembersApiTests(ApiWorld world) : IClassFixture<ApiWorld>
{
    private static async Task<Dictionary<string, string>> RolesAsync(ApiUser viewer, Guid organizationId)
    {
        var page = await viewer.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{organizationId}/members?pageSize=200");
        return page.GetProperty("items").EnumerateArray()
            .ToDictionary(m => m.GetProperty("userId").GetString()!, m => m.GetProperty("role").GetString()!);
    }

    private static IEnumerable<(string?, string?)> Outcomes(JsonElement result) =>
        result.GetProperty("outcomes").EnumerateArray().Select(o => (o.GetProperty("userId").GetString(), o.GetProperty("status").GetString()));

    [Fact]
    public async Task An_owner_changes_two_roles_in_one_request()
    {
        var id = await world.FullOrganizationAsync();

        var response = await world.Owner.Client.PostAsJsonAsync(
            $"/api/organizations/{id}/members/bulk-role", new { userIds = new[] { world.Target.Id, world.Member.Id, world.Admin.Id }, role = "ADMIN" });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var result = await response.JsonAsync();
        Outcomes(result).Should().Equal((world.Target.Id, "Changed"), (world.Member.Id, "Changed"), (world.Admin.Id, "Unchanged"));
        result.GetProperty("applied").GetInt32().Should().Be(2);
        var roles = await RolesAsync(world.Owner, id);
        roles[world.Target.Id].Should().Be("ADMIN");
        roles[world.Member.Id].Should().Be("ADMIN");
    }

    [Fact]
    public async Task Ids_of_another_organization_are_not_found_and_never_touched()
    {
        var mine = await world.FullOrganizationAsync("Mine");
        var theirs = await world.SecondOwner.CreateOrganizationAsync("Theirs");
        await world.SecondOwner.AddMemberAsync(theirs, world.Outsider, "MEMBER");
        var theirsBefore = await RolesAsync(world.SecondOwner, theirs);

        var promote = await world.Owner.Client.PostAsJsonAsync(
            $"/api/organizations/{mine}/members/bulk-role", new { userIds = new[] { world.Outsider.Id, world.Target.Id }, role = "OWNER" });
        var remove = await world.Owner.Client.PostAsJsonAsync(
            $"/api/organizations/{mine}/members/bulk-remove", new { userIds = new[] { world.Outsider.Id } });
        var intoTheirs = await world.Owner.Client.PostAsJsonAsync(
            $"/api/organizations/{theirs}/members/bulk-remove", new { userIds = new[] { world.Outsider.Id } });

        promote.StatusCode.Should().Be(HttpStatusCode.OK);
        var promoted = (await promote.JsonAsync()).GetProperty("outcomes")[0];
        promoted.GetProperty("status").GetString().Should().Be("NotFound");
        promoted.GetProperty("email").ValueKind.Should().Be(JsonValueKind.Null, "nothing about another organization's member is revealed");
        Outcomes(await remove.JsonAsync()).Should().Equal((world.Outsider.Id, "NotFound"));
        intoTheirs.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await RolesAsync(world.SecondOwner, theirs)).Should().BeEquivalentTo(theirsBefore);
        (await RolesAsync(world.Owner, mine))[world.Target.Id].Should().Be("OWNER", "the member of this organization in the same batch was promoted");
    }

    [Fact]
    public async Task An_admin_bulk_removes_a_member_and_is_refused_the_owner_by_name()
    {
        var id = await world.FullOrganizationAsync();

        var response = await world.Admin.Client.PostAsJsonAsync(
            $"/api/organizations/{id}/members/bulk-remove", new { userIds = new[] { world.Target.Id, world.Owner.Id } });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var outcomes = (await response.JsonAsync()).GetProperty("outcomes");
        outcomes[0].GetProperty("status").GetString().Should().Be("Removed");
        outcomes[1].GetProperty("status").GetString().Should().Be("Refused");
        outcomes[1].GetProperty("email").GetString().Should().Be(world.Owner.Email);
        outcomes[1].GetProperty("message").GetString().Should().Be("Only an owner can remove an owner.");
        (await RolesAsync(world.Owner, id)).Keys.Should().Contain(world.Owner.Id).And.NotContain(world.Target.Id);
    }

    [Fact]
    public async Task Demoting_both_owners_at_once_is_409_and_changes_nothing()
    {
        var id = await world.FullOrganizationAsync();
        var before = await RolesAsync(world.Owner, id);

        var response = await world.Owner.Client.PostAsJsonAsync(
            $"/api/organizations/{id}/members/bulk-role", new { userIds = new[] { world.Target.Id, world.SecondOwner.Id, world.Owner.Id }, role = "MEMBER" });

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await response.JsonAsync()).GetProperty("detail").GetString().Should()
            .Be("This change would leave the organization without an owner. Keep at least one OWNER; nothing was changed.");
        (await RolesAsync(world.Owner, id)).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task Bulk_actions_follow_the_permission_table()
    {
        var id = await world.FullOrganizationAsync();

        var adminChangesRoles = await world.Admin.Client.PostAsJsonAsync(
            $"/api/organizations/{id}/members/bulk-role", new { userIds = new[] { world.Target.Id }, role = "ADMIN" });
        var memberRemoves = await world.Member.Client.PostAsJsonAsync(
            $"/api/organizations/{id}/members/bulk-remove", new { userIds = new[] { world.Target.Id } });

        adminChangesRoles.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await adminChangesRoles.JsonAsync()).GetProperty("detail").GetString().Should().Be("Only owners can change member roles.");
        memberRemoves.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await memberRemoves.JsonAsync()).GetProperty("detail").GetString().Should().Be("Only owners and admins can remove members.");
        (await RolesAsync(world.Owner, id))[world.Target.Id].Should().Be("MEMBER");
    }

    [Theory]
    [InlineData("bulk-remove", "{\"userIds\":[]}", "userIds", "userIds must list at least one member.")]
    [InlineData("bulk-remove", "{}", "userIds", "userIds must list at least one member.")]
    [InlineData("bulk-role", "{\"userIds\":[\"x\"]}", "role", "Role is required: OWNER, ADMIN or MEMBER.")]
    public async Task Bad_bulk_input_is_400_naming_the_field(string action, string json, string field, string message)
    {
        var id = await world.FullOrganizationAsync();

        var response = await world.Owner.Client.PostAsync(
            $"/api/organizations/{id}/members/{action}", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.JsonAsync();
        problem.GetProperty("detail").GetString().Should().Be(message);
        problem.GetProperty("errors").GetProperty(field)[0].GetString().Should().Be(message);
    }

    [Fact]
    public async Task A_member_exports_the_searched_list_as_csv()
    {
        var id = await world.FullOrganizationAsync();

        var response = await world.Member.Client.GetAsync($"/api/organizations/{id}/members/export?search=owner&sort=Email&descending=true");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("Email,Name,Role,Joined (UTC)");
        lines.Skip(1).Select(l => l.Split(',')[0]).Should().Equal(world.SecondOwner.Email, world.Owner.Email);
        lines.Skip(1).Should().OnlyContain(l => l.Split(',')[2] == "OWNER");
    }

    [Fact]
    public async Task The_list_and_the_export_keep_one_role_and_the_export_is_named_after_the_organization_and_the_day()
    {
        var id = await world.FullOrganizationAsync("Müller & Söhne / Büro");

        var page = await world.Member.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{id}/members?role=OWNER");
        var response = await world.Member.Client.GetAsync($"/api/organizations/{id}/members/export?role=ADMIN");

        page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("email").GetString()).Should()
            .BeEquivalentTo([world.Owner.Email, world.SecondOwner.Email], "only the OWNERs are listed");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.Skip(1).Select(l => l.Split(',')[0]).Should().Equal([world.Admin.Email], "only the ADMIN is exported");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        response.Content.Headers.ContentDisposition!.FileNameStar.Should().BeOneOf(
            $"muller-sohne-buro-members-{today}.csv", $"muller-sohne-buro-members-{DateTime.UtcNow.AddMinutes(-1):yyyy-MM-dd}.csv");
    }
}

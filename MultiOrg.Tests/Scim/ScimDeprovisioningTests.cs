using System.Net;
using System.Net.Http.Json;
using MultiOrg.Domain.Organizations;
using static MultiOrg.Tests.Scim.ScimWorld;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Scim;

/// <summary><c>active=false</c> and DELETE remove the membership through the members page's own rules.</summary>
public sealed class ScimDeprovisioningTests(ScimWorld world) : IClassFixture<ScimWorld>
{
    private static StringContent Deactivate => Body("""
        { "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{ "op": "Replace", "path": "active", "value": "False" }] }
        """);

    [Fact]
    public async Task Deactivating_an_existing_member_removes_them_and_revokes_the_api_keys_they_made()
    {
        var (organizationId, scim, _) = await world.OrganizationAsync("Keys");
        var admin = await world.Factory.RegisterAsync("admin");
        await world.Owner.AddMemberAsync(organizationId, admin, "ADMIN");
        var (_, key) = await ApiWorld.CreateKeyAsync(admin, organizationId, "ADMIN");
        using var keyed = world.Factory.CreateClient();
        keyed.DefaultRequestHeaders.Add("X-Api-Key", key);
        (await keyed.GetAsync($"/api/organizations/{organizationId}/members")).StatusCode.Should().Be(HttpStatusCode.OK);

        // Provisioning someone who is a member already takes them over as they are: their role stays.
        var id = (await (await scim.PostAsync("Users", NewUser($"admin-{Guid.NewGuid():N}", admin.Email))).ShouldBeScimAsync(HttpStatusCode.Created))
            .GetProperty("id").GetString();
        (await world.MembersAsync(organizationId)).Should().Contain(admin.Email, OrganizationRole.Admin);

        await (await scim.PatchAsync($"Users/{id}", Deactivate)).ShouldBeScimAsync(HttpStatusCode.OK);

        (await world.MembersAsync(organizationId)).Should().NotContainKey(admin.Email);
        (await keyed.GetAsync($"/api/organizations/{organizationId}/members")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var keys = await (await world.Owner.Client.GetAsync($"/api/organizations/{organizationId}/api-keys")).JsonAsync();
        keys.EnumerateArray().Single().GetProperty("status").GetString().Should().Be("Revoked");
    }

    [Fact]
    public async Task The_last_owner_cannot_be_deactivated_or_deleted_and_nothing_changes()
    {
        var owner = await world.Factory.RegisterAsync("soleowner");
        var (organizationId, scim, _) = await world.OrganizationAsync("Sole owner", owner);
        var id = (await (await scim.PostAsync("Users", NewUser(owner.Email))).ShouldBeScimAsync(HttpStatusCode.Created)).GetProperty("id").GetString();

        var refused = await (await scim.PatchAsync($"Users/{id}", Deactivate)).ShouldBeScimErrorAsync(HttpStatusCode.Conflict);
        refused.GetProperty("detail").GetString().Should().Contain("ransfer ownership");
        await (await scim.DeleteAsync($"Users/{id}")).ShouldBeScimErrorAsync(HttpStatusCode.Conflict);

        (await world.MembersAsync(organizationId)).Should().Contain(owner.Email, OrganizationRole.Owner);
        (await (await scim.GetAsync($"Users/{id}")).ShouldBeScimAsync(HttpStatusCode.OK)).GetProperty("active").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task A_token_whose_creator_is_now_an_admin_cannot_deactivate_an_owner()
    {
        var (organizationId, _, _) = await world.OrganizationAsync("Demoted creator");
        var creator = await world.Factory.RegisterAsync("creator");
        await world.Owner.AddMemberAsync(organizationId, creator, "OWNER");
        var scim = world.ScimClient(organizationId, await world.CreateTokenAsync(creator.Id, organizationId));
        (await world.Owner.Client.PatchAsJsonAsync($"/api/organizations/{organizationId}/members/{creator.Id}", new { role = "ADMIN" })).EnsureSuccessStatusCode();
        var id = (await (await scim.PostAsync("Users", NewUser(world.Owner.Email))).ShouldBeScimAsync(HttpStatusCode.Created)).GetProperty("id").GetString();

        var refused = await (await scim.PatchAsync($"Users/{id}", Deactivate)).ShouldBeScimErrorAsync(HttpStatusCode.Forbidden);

        refused.GetProperty("detail").GetString().Should().Contain("owner");
        (await world.MembersAsync(organizationId)).Should().Contain(world.Owner.Email, OrganizationRole.Owner);
    }

    [Fact]
    public async Task Someone_removed_on_the_members_page_reads_as_inactive_and_the_provider_can_reactivate_them()
    {
        var (organizationId, scim, _) = await world.OrganizationAsync("Removed by hand");
        var address = NewAddress(organizationId);
        var created = await (await scim.PostAsync("Users", NewUser(address))).ShouldBeScimAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        var userId = await world.UserIdAsync(address);
        (await world.Owner.Client.DeleteAsync($"/api/organizations/{organizationId}/members/{userId}")).EnsureSuccessStatusCode();

        (await (await scim.GetAsync($"Users/{id}")).ShouldBeScimAsync(HttpStatusCode.OK)).GetProperty("active").GetBoolean().Should().BeFalse();
        await (await scim.PatchAsync($"Users/{id}", Body("""
            { "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{ "op": "replace", "value": { "active": true } }] }
            """))).ShouldBeScimAsync(HttpStatusCode.OK);

        (await world.MembersAsync(organizationId)).Should().Contain(address, OrganizationRole.Member);
    }
}

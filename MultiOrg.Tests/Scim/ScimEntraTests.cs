using System.Net;
using System.Text.Json;
using MultiOrg.Domain.Organizations;
using static MultiOrg.Tests.Scim.ScimWorld;

namespace MultiOrg.Tests.Scim;

/// <summary>
/// The request sequence of Microsoft Entra ID's provisioning service, as its SCIM guide documents it ("Develop and plan
/// provisioning for a SCIM endpoint": create user, get by query, patch multi- and single-valued attributes, disable,
/// delete; create group, get by displayName without members, patch displayName, add and remove members, delete),
/// replayed over HTTP with the guide's bodies. Only the address's domain is changed, to the organization's verified one.
/// </summary>
public sealed class ScimEntraTests(ScimWorld world) : IClassFixture<ScimWorld>
{
    [Fact]
    public async Task Entra_provisioning_sequence_creates_finds_patches_groups_deactivates_and_deletes()
    {
        var (organizationId, scim, _) = await world.OrganizationAsync("Contoso");
        var userName = $"Test_User_{Guid.NewGuid()}";
        var email = $"test_user_{Guid.NewGuid():N}@{DomainOf(organizationId)}";

        var none = await (await scim.GetAsync($"Users?filter=userName+eq+%22{userName}%22")).ShouldBeScimAsync(HttpStatusCode.OK);
        none.GetProperty("totalResults").GetInt32().Should().Be(0);
        none.GetProperty("Resources").GetArrayLength().Should().Be(0);

        var created = await (await scim.PostAsync("Users", Body($$"""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
              "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
              "userName": "{{userName}}",
              "active": true,
              "emails": [{ "primary": true, "type": "work", "value": "{{email}}" }],
              "meta": { "resourceType": "User" },
              "name": { "formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName" },
              "roles": []
            }
            """))).ShouldBeScimAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        created.GetProperty("userName").GetString().Should().Be(userName);
        created.GetProperty("active").GetBoolean().Should().BeTrue();
        created.GetProperty("meta").GetProperty("resourceType").GetString().Should().Be("User");
        (await world.MembersAsync(organizationId)).Should().Contain(email, OrganizationRole.Member);

        var found = await (await scim.GetAsync($"Users?filter=userName+eq+%22{userName}%22")).ShouldBeScimAsync(HttpStatusCode.OK);
        found.GetProperty("totalResults").GetInt32().Should().Be(1);
        found.GetProperty("Resources")[0].GetProperty("id").GetString().Should().Be(id);
        (await (await scim.GetAsync($"Users/{id}")).ShouldBeScimAsync(HttpStatusCode.OK)).GetProperty("externalId").GetString()
            .Should().Be("0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef");

        var multiValued = await (await scim.PatchAsync($"Users/{id}", Body("""
            {
              "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
              "Operations": [
                { "op": "Replace", "path": "emails[type eq \"work\"].value", "value": "updatedEmail@microsoft.com" },
                { "op": "Replace", "path": "name.familyName", "value": "updatedFamilyName" }
              ]
            }
            """))).ShouldBeScimAsync(HttpStatusCode.OK);
        multiValued.GetProperty("name").GetProperty("familyName").GetString().Should().Be("updatedFamilyName");
        multiValued.GetProperty("emails")[0].GetProperty("value").GetString().Should().Be(email, "a directory never changes the address an account signs in with");

        var renamed = $"{Guid.NewGuid()}@testuser.com";
        (await (await scim.PatchAsync($"Users/{id}", Body($$"""
            { "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{ "op": "Replace", "path": "userName", "value": "{{renamed}}" }] }
            """))).ShouldBeScimAsync(HttpStatusCode.OK)).GetProperty("userName").GetString().Should().Be(renamed);

        var group = await (await scim.PostAsync("Groups", Body("""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group"],
              "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
              "displayName": "displayName",
              "meta": { "resourceType": "Group" }
            }
            """))).ShouldBeScimAsync(HttpStatusCode.Created);
        var groupId = group.GetProperty("id").GetString()!;
        var byName = await (await scim.GetAsync("Groups?excludedAttributes=members&filter=displayName+eq+%22displayName%22")).ShouldBeScimAsync(HttpStatusCode.OK);
        byName.GetProperty("totalResults").GetInt32().Should().Be(1);
        byName.GetProperty("Resources")[0].TryGetProperty("members", out _).Should().BeFalse();
        (await (await scim.GetAsync($"Groups/{groupId}?excludedAttributes=members")).ShouldBeScimAsync(HttpStatusCode.OK))
            .GetProperty("displayName").GetString().Should().Be("displayName");

        (await scim.PatchAsync($"Groups/{groupId}", Body("""
            { "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{ "op": "Replace", "path": "displayName", "value": "1879db59-updatedDisplayName" }] }
            """))).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await scim.PatchAsync($"Groups/{groupId}", Body($$"""
            { "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{ "op": "Add", "path": "members", "value": [{ "$ref": null, "value": "{{id}}" }] }] }
            """))).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var withMember = await (await scim.GetAsync($"Groups/{groupId}")).ShouldBeScimAsync(HttpStatusCode.OK);
        withMember.GetProperty("displayName").GetString().Should().Be("1879db59-updatedDisplayName");
        withMember.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("value").GetString()).Should().Equal(id);

        // Entra ID disables with "False" as a string (its documented quirk) and the members page's removal follows.
        var disabled = await (await scim.PatchAsync($"Users/{id}", Body("""
            { "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{ "op": "Replace", "path": "active", "value": "False" }] }
            """))).ShouldBeScimAsync(HttpStatusCode.OK);
        disabled.GetProperty("active").GetBoolean().Should().BeFalse();
        (await world.MembersAsync(organizationId)).Should().NotContainKey(email);
        (await (await scim.GetAsync($"Groups/{groupId}")).ShouldBeScimAsync(HttpStatusCode.OK)).GetProperty("members").GetArrayLength().Should().Be(0);

        // Entra's replace without a path: an object whose keys are attribute paths.
        var enabled = await (await scim.PatchAsync($"Users/{id}", Body("""
            {
              "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
              "Operations": [{ "op": "replace", "value": { "active": "True", "name.givenName": "Reinstated", "displayName": "Reinstated Person" } }]
            }
            """))).ShouldBeScimAsync(HttpStatusCode.OK);
        enabled.GetProperty("active").GetBoolean().Should().BeTrue();
        enabled.GetProperty("name").GetProperty("givenName").GetString().Should().Be("Reinstated");
        (await world.MembersAsync(organizationId)).Should().Contain(email, OrganizationRole.Member);

        (await scim.PatchAsync($"Groups/{groupId}", Body($$"""
            { "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{ "op": "Add", "path": "members", "value": [{ "value": "{{id}}" }] }] }
            """))).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await scim.PatchAsync($"Groups/{groupId}", Body($$"""
            { "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{ "op": "Remove", "path": "members", "value": [{ "$ref": null, "value": "{{id}}" }] }] }
            """))).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await (await scim.GetAsync($"Groups/{groupId}")).ShouldBeScimAsync(HttpStatusCode.OK)).GetProperty("members").GetArrayLength().Should().Be(0);

        (await scim.DeleteAsync($"Users/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await scim.GetAsync($"Users/{id}")).ShouldBeScimErrorAsync(HttpStatusCode.NotFound);
        (await world.MembersAsync(organizationId)).Should().NotContainKey(email);
        (await scim.DeleteAsync($"Groups/{groupId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await scim.GetAsync($"Groups/{groupId}")).ShouldBeScimErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Discovery_endpoints_describe_users_groups_and_the_bearer_token()
    {
        var (_, scim, _) = await world.OrganizationAsync("Discovery");
        var config = await (await scim.GetAsync("ServiceProviderConfig")).ShouldBeScimAsync(HttpStatusCode.OK);
        config.GetProperty("patch").GetProperty("supported").GetBoolean().Should().BeTrue();
        config.GetProperty("filter").GetProperty("maxResults").GetInt32().Should().Be(100);
        config.GetProperty("authenticationSchemes")[0].GetProperty("type").GetString().Should().Be("oauthbearertoken");

        var types = await (await scim.GetAsync("ResourceTypes")).ShouldBeScimAsync(HttpStatusCode.OK);
        types.GetProperty("Resources").EnumerateArray().Select(t => t.GetProperty("endpoint").GetString()).Should().Equal("/Users", "/Groups");
        (await (await scim.GetAsync("ResourceTypes/User")).ShouldBeScimAsync(HttpStatusCode.OK)).GetProperty("schema").GetString()
            .Should().Be("urn:ietf:params:scim:schemas:core:2.0:User");

        var schemas = await (await scim.GetAsync("Schemas")).ShouldBeScimAsync(HttpStatusCode.OK);
        var user = schemas.GetProperty("Resources").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "urn:ietf:params:scim:schemas:core:2.0:User");
        user.GetProperty("attributes").EnumerateArray().Select(a => a.GetProperty("name").GetString()).Should().Contain(["userName", "active", "emails"]);
        await (await scim.GetAsync("Schemas/urn:nope")).ShouldBeScimErrorAsync(HttpStatusCode.NotFound);
        await (await scim.GetAsync("Bulk")).ShouldBeScimErrorAsync(HttpStatusCode.NotFound);
    }
}

using System.Net;
using MultiOrg.Domain.Organizations;
using static MultiOrg.Tests.Scim.ScimWorld;

namespace MultiOrg.Tests.Scim;

/// <summary>
/// The request sequence Okta's SCIM 2.0 provisioning sends, as its protocol reference documents it (find by userName
/// with startIndex and count, create with a password it never gets to set, read, PUT the whole profile, deactivate and
/// reactivate by PATCH without a path; group push: create, rename by a replace carrying the id, add and remove a member
/// by <c>members[value eq "…"]</c>, PUT, delete), replayed over HTTP with its bodies, on the organization's domain.
/// </summary>
public sealed class ScimOktaTests(ScimWorld world) : IClassFixture<ScimWorld>
{
    [Fact]
    public async Task Okta_provisioning_sequence_creates_updates_deactivates_reactivates_and_pushes_groups()
    {
        var (organizationId, scim, _) = await world.OrganizationAsync("Okta customer");
        var login = $"test.user.{Guid.NewGuid():N}@{DomainOf(organizationId)}";

        (await (await scim.GetAsync($"Users?filter=userName%20eq%20%22{login}%22&startIndex=1&count=100")).ShouldBeScimAsync(HttpStatusCode.OK))
            .GetProperty("totalResults").GetInt32().Should().Be(0);
        var created = await (await scim.PostAsync("Users", Body($$"""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
              "userName": "{{login}}",
              "name": { "givenName": "Test", "familyName": "User" },
              "emails": [{ "primary": true, "value": "{{login}}", "type": "work" }],
              "displayName": "Test User",
              "locale": "en-US",
              "externalId": "00ujl29u0le5T6Aj10h7",
              "groups": [],
              "password": "1mz050nq",
              "active": true
            }
            """))).ShouldBeScimAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        (await world.MembersAsync(organizationId)).Should().Contain(login, OrganizationRole.Member);
        (await world.Factory.LoginStatusAsync(login, "1mz050nq")).Should().Be(HttpStatusCode.Unauthorized, "a directory never sets a password");

        (await (await scim.GetAsync($"Users/{id}")).ShouldBeScimAsync(HttpStatusCode.OK)).GetProperty("displayName").GetString().Should().Be("Test User");
        var put = await (await scim.PutAsync($"Users/{id}", Body($$"""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
              "id": "{{id}}",
              "userName": "{{login}}",
              "name": { "givenName": "Another", "familyName": "User" },
              "emails": [{ "primary": true, "value": "{{login}}", "type": "work" }],
              "displayName": "Another User",
              "locale": "en-US",
              "externalId": "00ujl29u0le5T6Aj10h7",
              "groups": [],
              "active": true
            }
            """))).ShouldBeScimAsync(HttpStatusCode.OK);
        put.GetProperty("name").GetProperty("givenName").GetString().Should().Be("Another");
        (await world.DisplayNameAsync(login)).Should().Be("Another User", "the account was made by this directory, so its name follows");

        var groupBody = await (await scim.PostAsync("Groups", Body("""
            { "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Test SCIMv2", "members": [] }
            """))).ShouldBeScimAsync(HttpStatusCode.Created);
        var groupId = groupBody.GetProperty("id").GetString()!;
        (await (await scim.GetAsync($"Groups/{groupId}")).ShouldBeScimAsync(HttpStatusCode.OK)).GetProperty("displayName").GetString().Should().Be("Test SCIMv2");
        (await scim.PatchAsync($"Groups/{groupId}", Body($$"""
            { "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{ "op": "replace", "value": { "id": "{{groupId}}", "displayName": "Test SCIMv2 renamed" } }] }
            """))).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await scim.PatchAsync($"Groups/{groupId}", Body($$"""
            { "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{ "op": "add", "path": "members", "value": [{ "value": "{{id}}", "display": "{{login}}" }] }] }
            """))).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var pushed = await (await scim.GetAsync($"Groups/{groupId}")).ShouldBeScimAsync(HttpStatusCode.OK);
        pushed.GetProperty("displayName").GetString().Should().Be("Test SCIMv2 renamed");
        pushed.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("value").GetString()).Should().Equal(id);
        (await scim.PatchAsync($"Groups/{groupId}", Body($$"""
            { "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{ "op": "remove", "path": "members[value eq \"{{id}}\"]" }] }
            """))).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await (await scim.GetAsync($"Groups/{groupId}")).ShouldBeScimAsync(HttpStatusCode.OK)).GetProperty("members").GetArrayLength().Should().Be(0);
        var replacedGroup = await (await scim.PutAsync($"Groups/{groupId}", Body($$"""
            { "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Test SCIMv2", "members": [{ "value": "{{id}}" }] }
            """))).ShouldBeScimAsync(HttpStatusCode.OK);
        replacedGroup.GetProperty("members").GetArrayLength().Should().Be(1);

        var deactivated = await (await scim.PatchAsync($"Users/{id}", Body("""
            { "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{ "op": "replace", "value": { "active": false } }] }
            """))).ShouldBeScimAsync(HttpStatusCode.OK);
        deactivated.GetProperty("active").GetBoolean().Should().BeFalse();
        (await world.MembersAsync(organizationId)).Should().NotContainKey(login);
        (await (await scim.GetAsync($"Users?filter=userName%20eq%20%22{login}%22")).ShouldBeScimAsync(HttpStatusCode.OK))
            .GetProperty("Resources")[0].GetProperty("active").GetBoolean().Should().BeFalse("a deactivated user is still found, so the provider can reactivate them");

        (await (await scim.PatchAsync($"Users/{id}", Body("""
            { "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{ "op": "replace", "value": { "active": true } }] }
            """))).ShouldBeScimAsync(HttpStatusCode.OK)).GetProperty("active").GetBoolean().Should().BeTrue();
        (await world.MembersAsync(organizationId)).Should().Contain(login, OrganizationRole.Member);

        (await scim.DeleteAsync($"Groups/{groupId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await (await scim.GetAsync("Groups?filter=displayName%20eq%20%22Test%20SCIMv2%22")).ShouldBeScimAsync(HttpStatusCode.OK))
            .GetProperty("totalResults").GetInt32().Should().Be(0);
    }
}

using System.Net;
using MultiOrg.Domain.Organizations;
using static MultiOrg.Tests.Scim.ScimWorld;

namespace MultiOrg.Tests.Scim;

/// <summary>
/// Provisioning as OneLogin and Google Workspace send it, and the edges the SCIM compliance suites probe, replayed over
/// HTTP: look-ups by address (<c>emails.value eq</c>), PUT replacing the whole user, PATCH with filtered paths, group
/// members removed by a value filter, deprovisioning by PUT <c>active=false</c>, paging at and past the ends. Each request
/// is answered as RFC 7644 says: served, or a SCIM error with its scimType, never a 500.
/// </summary>
public sealed class ScimOneLoginTests(ScimWorld world) : IClassFixture<ScimWorld>
{
    private const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private static StringContent Patch(string operations) => Body($$"""{ "schemas": ["{{PatchOp}}"], "Operations": {{operations}} }""");

    [Fact]
    public async Task OneLogin_sequence_finds_by_address_replaces_patches_groups_and_deprovisions_by_put()
    {
        var (organizationId, scim, _) = await world.OrganizationAsync("OneLogin customer");
        var email = $"ada.{Guid.NewGuid():N}@{DomainOf(organizationId)}";
        var byAddress = $"Users?filter={Uri.EscapeDataString($"emails.value eq \"{email}\"")}";
        (await (await scim.GetAsync(byAddress)).ShouldBeScimAsync(HttpStatusCode.OK)).GetProperty("totalResults").GetInt32().Should().Be(0);

        string UserBody(string familyName, bool active) => $$"""
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
              "userName": "{{email}}",
              "externalId": "118427391",
              "name": { "givenName": "Ada", "familyName": "{{familyName}}", "formatted": "Ada {{familyName}}" },
              "displayName": "Ada {{familyName}}",
              "emails": [{ "value": "{{email}}", "type": "work", "primary": true }],
              "phoneNumbers": [{ "value": "+1 555 0100", "type": "work" }],
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { "department": "Research", "manager": { "value": "" } },
              "active": {{(active ? "true" : "false")}}
            }
            """;
        var id = (await (await scim.PostAsync("Users", Body(UserBody("Lovelace", true)))).ShouldBeScimAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;

        var found = await (await scim.GetAsync(byAddress)).ShouldBeScimAsync(HttpStatusCode.OK);
        found.GetProperty("Resources").EnumerateArray().Select(u => u.GetProperty("id").GetString()).Should().Equal(id);
        (await (await scim.GetAsync($"Users?filter={Uri.EscapeDataString($"EMAILS.VALUE EQ \"{email.ToUpperInvariant()}\"")}")).ShouldBeScimAsync(HttpStatusCode.OK))
            .GetProperty("totalResults").GetInt32().Should().Be(1, "addresses compare without case");

        var replaced = await (await scim.PutAsync($"Users/{id}", Body(UserBody("King", true)))).ShouldBeScimAsync(HttpStatusCode.OK);
        (replaced.GetProperty("name").GetProperty("familyName").GetString(), replaced.GetProperty("displayName").GetString()).Should().Be(("King", "Ada King"));

        var patched = await (await scim.PatchAsync($"Users/{id}", Patch($$"""
            [
              { "op": "replace", "path": "emails[type eq \"work\"].value", "value": "{{email}}" },
              { "op": "add", "path": "name.familyName", "value": "Byron" },
              { "op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Maths" }
            ]
            """))).ShouldBeScimAsync(HttpStatusCode.OK);
        patched.GetProperty("name").GetProperty("familyName").GetString().Should().Be("Byron");
        patched.GetProperty("emails")[0].GetProperty("value").GetString().Should().Be(email);

        var group = (await (await scim.PostAsync("Groups", Body($$"""
            { "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Analysts", "members": [{ "value": "{{id}}" }] }
            """))).ShouldBeScimAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        (await scim.PatchAsync($"Groups/{group}", Patch($$"""[{ "op": "remove", "path": "members[value eq \"{{id}}\"]" }]"""))).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var emptied = await (await scim.GetAsync($"Groups/{group}")).ShouldBeScimAsync(HttpStatusCode.OK);
        (emptied.TryGetProperty("members", out var none) ? none.GetArrayLength() : 0).Should().Be(0, "the member was removed by the value filter");
        (await scim.PatchAsync($"Groups/{group}", Patch($$"""[{ "op": "add", "path": "members", "value": [{ "value": "{{id}}" }] }]"""))).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var deprovisioned = await (await scim.PutAsync($"Users/{id}", Body(UserBody("Byron", false)))).ShouldBeScimAsync(HttpStatusCode.OK);
        deprovisioned.GetProperty("active").GetBoolean().Should().BeFalse();
        (await world.MembersAsync(organizationId)).Should().NotContainKey(email, "PUT active=false deprovisions like the members page's removal");
        var groupAfter = await (await scim.GetAsync($"Groups/{group}")).ShouldBeScimAsync(HttpStatusCode.OK);
        (groupAfter.TryGetProperty("members", out var left) ? left.GetArrayLength() : 0).Should().Be(0, "leaving the organization leaves its teams");

        (await (await scim.PutAsync($"Users/{id}", Body(UserBody("Byron", true)))).ShouldBeScimAsync(HttpStatusCode.OK)).GetProperty("active").GetBoolean().Should().BeTrue();
        (await world.MembersAsync(organizationId)).Should().Contain(email, OrganizationRole.Member);

        (await scim.DeleteAsync($"Users/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await scim.GetAsync($"Users/{id}")).ShouldBeScimErrorAsync(HttpStatusCode.NotFound);
        await (await scim.DeleteAsync($"Users/{id}")).ShouldBeScimErrorAsync(HttpStatusCode.NotFound);
        await (await scim.PatchAsync($"Users/{id}", Patch("""[{ "op": "replace", "path": "active", "value": false }]"""))).ShouldBeScimErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Paging_at_and_past_the_ends_answers_the_total_and_no_resources()
    {
        var (organizationId, scim, _) = await world.OrganizationAsync("Paging edges");
        for (var i = 0; i < 3; i++)
        {
            await (await scim.PostAsync("Users", NewUser(NewAddress(organizationId)))).ShouldBeScimAsync(HttpStatusCode.Created);
        }

        async Task<(int Total, int Start, int PerPage, int Resources)> PageAsync(string query)
        {
            var page = await (await scim.GetAsync("Users?" + query)).ShouldBeScimAsync(HttpStatusCode.OK);
            return (page.GetProperty("totalResults").GetInt32(), page.GetProperty("startIndex").GetInt32(), page.GetProperty("itemsPerPage").GetInt32(),
                page.TryGetProperty("Resources", out var resources) ? resources.GetArrayLength() : 0);
        }

        (await PageAsync("count=0")).Should().Be((3, 1, 0, 0), "count=0 asks for the total only (RFC 7644 §3.4.2.4)");
        (await PageAsync("startIndex=3&count=10")).Should().Be((3, 3, 1, 1), "the last one");
        (await PageAsync("startIndex=4")).Should().Be((3, 4, 0, 0), "past the end: the total, no resources");
        (await PageAsync("startIndex=99999999999&count=99999999999")).Should().Be((3, 1_000_000_000, 0, 0), "huge numbers are clamped, never an overflow");
        (await PageAsync("startIndex=-5&count=2")).Should().Be((3, 1, 2, 2), "below 1 is 1");
        (await PageAsync($"filter={Uri.EscapeDataString("userName eq \"nobody@example.test\"")}&startIndex=2")).Should().Be((0, 2, 0, 0));
        (await (await scim.GetAsync("Groups?startIndex=2&count=0")).ShouldBeScimAsync(HttpStatusCode.OK)).GetProperty("totalResults").GetInt32().Should().Be(0);
        await (await scim.GetAsync("Users?startIndex=first")).ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "invalidValue");
    }

    [Fact]
    public async Task Patches_and_filters_the_server_cannot_serve_are_scim_errors_with_their_type()
    {
        var (organizationId, scim, _) = await world.OrganizationAsync("Compliance probes");
        var id = (await (await scim.PostAsync("Users", NewUser(NewAddress(organizationId)))).ShouldBeScimAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var group = (await (await scim.PostAsync("Groups", Body($$"""
            { "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Probes", "members": [{ "value": "{{id}}" }] }
            """))).ShouldBeScimAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;

        await (await scim.PatchAsync($"Users/{id}", Patch("""[{ "op": "remove", "path": "userName" }]"""))).ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "mutability");
        await (await scim.PatchAsync($"Users/{id}", Patch("""[{ "op": "remove", "path": "active" }]"""))).ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "mutability");
        await (await scim.PatchAsync($"Users/{id}", Patch("""[{ "op": "remove" }]"""))).ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "noTarget");
        await (await scim.PatchAsync($"Users/{id}", Patch("""[{ "op": "replace", "path": "emails[type eq \"work\".value", "value": "x@example.test" }]""")))
            .ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "invalidPath");
        await (await scim.PatchAsync($"Users/{id}", Patch("""[{ "op": "replace", "path": "name", "value": "Just A String" }]""")))
            .ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "invalidValue");
        await (await scim.PatchAsync($"Groups/{group}", Patch("""[{ "op": "remove", "path": "members[display eq \"someone\"]" }]""")))
            .ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "invalidPath");
        await (await scim.PatchAsync($"Groups/{group}", Patch($$"""[{ "op": "replace", "path": "members[value eq \"{{id}}\"]", "value": [] }]""")))
            .ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "invalidPath");
        await (await scim.PatchAsync($"Groups/{group}", Patch("""[{ "op": "remove", "path": "displayName" }]"""))).ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "mutability");
        await (await scim.PutAsync($"Users/{id}", Body("""{ "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "active": true }""")))
            .ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "invalidValue");

        foreach (var filter in new[] { "emails[type eq \"work\"].value eq \"a@b.test\"", "emails.value co \"@\"", "emails.value eq \"a\" or userName eq \"b\"", "emails pr" })
        {
            await (await scim.GetAsync($"Users?filter={Uri.EscapeDataString(filter)}")).ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "invalidFilter");
        }

        var unchanged = await (await scim.GetAsync($"Groups/{group}")).ShouldBeScimAsync(HttpStatusCode.OK);
        unchanged.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("value").GetString()).Should().Equal([id], "no refused PATCH changed the group");
        (await (await scim.GetAsync($"Users/{id}")).ShouldBeScimAsync(HttpStatusCode.OK)).GetProperty("active").GetBoolean().Should().BeTrue("no refused PATCH changed the user");
    }
}

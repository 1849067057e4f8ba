using System.Net;
using static MultiOrg.Tests.Scim.ScimWorld;

namespace MultiOrg.Tests.Scim;

/// <summary>RFC 7644's error shapes (§3.12), filters, paging bounds, idempotent creates and the seat limit, over HTTP.</summary>
public sealed class ScimErrorTests(ScimWorld world) : IClassFixture<ScimWorld>
{
    [Fact]
    public async Task A_repeated_create_is_409_uniqueness_and_leaves_one_user()
    {
        var (organizationId, scim, _) = await world.OrganizationAsync("Idempotent");
        var address = NewAddress(organizationId);
        await (await scim.PostAsync("Users", NewUser(address))).ShouldBeScimAsync(HttpStatusCode.Created);

        var again = await (await scim.PostAsync("Users", NewUser(address.ToUpperInvariant()))).ShouldBeScimErrorAsync(HttpStatusCode.Conflict, "uniqueness");
        again.GetProperty("detail").GetString().Should().Contain("userName");
        (await (await scim.GetAsync("Users")).ShouldBeScimAsync(HttpStatusCode.OK)).GetProperty("totalResults").GetInt32().Should().Be(1);

        var group = Body("""{ "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Finance", "externalId": "g-1" }""");
        await (await scim.PostAsync("Groups", group)).ShouldBeScimAsync(HttpStatusCode.Created);
        await (await scim.PostAsync("Groups", Body("""{ "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Finance" }""")))
            .ShouldBeScimErrorAsync(HttpStatusCode.Conflict, "uniqueness");
    }

    [Theory]
    [InlineData("title eq \"Boss\"")]
    [InlineData("userName co \"a\"")]
    [InlineData("userName eq \"a\" and externalId eq \"b\"")]
    [InlineData("userName eq unquoted")]
    [InlineData("emails[type eq \"work\"]")]
    public async Task Filters_other_than_equality_on_userName_or_externalId_are_invalidFilter(string filter)
    {
        var (_, scim, _) = await world.OrganizationAsync("Filters");
        await (await scim.GetAsync($"Users?filter={Uri.EscapeDataString(filter)}")).ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "invalidFilter");
    }

    [Fact]
    public async Task Users_are_found_by_externalId_and_paged_within_bounds()
    {
        var (organizationId, scim, _) = await world.OrganizationAsync("Paging");
        foreach (var externalId in new[] { "e-1", "e-2", "e-3" })
        {
            var address = NewAddress(organizationId);
            await (await scim.PostAsync("Users", Body($$"""
                { "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "{{address}}", "externalId": "{{externalId}}" }
                """))).ShouldBeScimAsync(HttpStatusCode.Created);
        }

        var byExternal = await (await scim.GetAsync("Users?filter=" + Uri.EscapeDataString("urn:ietf:params:scim:schemas:core:2.0:User:externalId eq \"e-2\"")))
            .ShouldBeScimAsync(HttpStatusCode.OK);
        byExternal.GetProperty("Resources").EnumerateArray().Select(u => u.GetProperty("externalId").GetString()).Should().Equal("e-2");

        var page = await (await scim.GetAsync("Users?startIndex=2&count=1")).ShouldBeScimAsync(HttpStatusCode.OK);
        (page.GetProperty("totalResults").GetInt32(), page.GetProperty("startIndex").GetInt32(), page.GetProperty("itemsPerPage").GetInt32())
            .Should().Be((3, 2, 1));
        page.GetProperty("Resources")[0].GetProperty("externalId").GetString().Should().Be("e-2");

        var clamped = await (await scim.GetAsync("Users?startIndex=0&count=5000")).ShouldBeScimAsync(HttpStatusCode.OK);
        (clamped.GetProperty("startIndex").GetInt32(), clamped.GetProperty("itemsPerPage").GetInt32()).Should().Be((1, 3));
        (await (await scim.GetAsync("Users?count=-4")).ShouldBeScimAsync(HttpStatusCode.OK)).GetProperty("itemsPerPage").GetInt32().Should().Be(0);
        await (await scim.GetAsync("Users?count=many")).ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "invalidValue");
    }

    [Fact]
    public async Task Bad_bodies_ids_and_paths_get_the_rfc_error_shape()
    {
        var (organizationId, scim, _) = await world.OrganizationAsync("Errors");
        await (await scim.PostAsync("Users", Body("{ not json"))).ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "invalidSyntax");
        await (await scim.PostAsync("Users", Body("""{ "userName": "no-schemas@example.test" }"""))).ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "invalidSyntax");
        await (await scim.PostAsync("Users", Body("""{ "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": 42 }""")))
            .ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "invalidValue");
        var outside = await (await scim.PostAsync("Users", NewUser($"someone.{Guid.NewGuid():N}@elsewhere.example")))
            .ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "invalidValue");
        outside.GetProperty("detail").GetString().Should().Contain("verified domains");

        await (await scim.GetAsync("Users/not-an-id")).ShouldBeScimErrorAsync(HttpStatusCode.NotFound);
        await (await scim.GetAsync($"Users/{Guid.NewGuid()}")).ShouldBeScimErrorAsync(HttpStatusCode.NotFound);
        await (await scim.GetAsync($"Groups/{Guid.NewGuid()}")).ShouldBeScimErrorAsync(HttpStatusCode.NotFound);

        var id = (await (await scim.PostAsync("Users", NewUser(NewAddress(organizationId)))).ShouldBeScimAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        await (await scim.PatchAsync($"Users/{id}", Body("""{ "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{ "op": "move", "path": "title" }] }""")))
            .ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "invalidSyntax");
        await (await scim.PatchAsync($"Users/{id}", Body("""{ "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{ "op": "replace", "path": "shoeSize", "value": "44" }] }""")))
            .ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "invalidPath");
        await (await scim.PatchAsync($"Users/{id}", Body("""{ "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{ "op": "replace", "path": "active", "value": "maybe" }] }""")))
            .ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "invalidValue");
        await (await scim.PatchAsync($"Users/{id}", Body("""{ "Operations": [{ "op": "replace", "path": "active", "value": false }] }""")))
            .ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "invalidSyntax");
        (await (await scim.GetAsync($"Users/{id}")).ShouldBeScimAsync(HttpStatusCode.OK)).GetProperty("active").GetBoolean().Should().BeTrue("no refused PATCH changed anything");

        using var anonymous = world.Factory.CreateClient();
        var unauthenticated = await anonymous.GetAsync(new Uri(scim.BaseAddress!, "Users"));
        await unauthenticated.ShouldBeScimErrorAsync(HttpStatusCode.Unauthorized);
        unauthenticated.Headers.WwwAuthenticate.ToString().Should().StartWith("Bearer");
    }

    [Fact]
    public async Task A_full_organization_refuses_a_new_user_with_a_scim_error_naming_the_seats()
    {
        var (organizationId, scim, _) = await world.OrganizationAsync("Free plan", plan: "free");
        for (var i = 0; i < 4; i++)
        {
            await (await scim.PostAsync("Users", NewUser(NewAddress(organizationId)))).ShouldBeScimAsync(HttpStatusCode.Created);
        }

        var address = NewAddress(organizationId);
        var refused = await (await scim.PostAsync("Users", NewUser(address))).ShouldBeScimErrorAsync(HttpStatusCode.Forbidden);
        refused.GetProperty("detail").GetString().Should().Contain("Seat limit reached (5 of 5 seats used)");
        (await world.MembersAsync(organizationId)).Should().HaveCount(5).And.NotContainKey(address);
        await using var db = world.Factory.Database.CreateContext();
        db.Users.Any(u => u.Email == address).Should().BeFalse("a refused create leaves no account behind");
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Tenancy;
using static MultiOrg.Tests.Scim.ScimWorld;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Scim;

/// <summary>A SCIM token reaches /scim/v2/{its organization} and nothing else; nothing else reaches SCIM.</summary>
public sealed class ScimIsolationTests(ScimWorld world) : IClassFixture<ScimWorld>
{
    [Fact]
    public async Task A_token_of_one_organization_is_refused_by_another_and_touches_nothing_of_it()
    {
        var (_, scimA, tokenA) = await world.OrganizationAsync("Alpha");
        var (organizationB, scimB, _) = await world.OrganizationAsync("Beta");
        var bobId = (await (await scimB.PostAsync("Users", NewUser(NewAddress(organizationB)))).ShouldBeScimAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        var teamId = (await (await scimB.PostAsync("Groups", Body("""{ "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Beta team" }""")))
            .ShouldBeScimAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        var membersBefore = await world.MembersAsync(organizationB);

        var aOnB = world.ScimClient(organizationB, tokenA);
        await (await aOnB.GetAsync("Users")).ShouldBeScimErrorAsync(HttpStatusCode.Unauthorized);
        await (await aOnB.GetAsync($"Users/{bobId}")).ShouldBeScimErrorAsync(HttpStatusCode.Unauthorized);
        await (await aOnB.PostAsync("Users", NewUser(NewAddress(organizationB)))).ShouldBeScimErrorAsync(HttpStatusCode.Unauthorized);
        await (await aOnB.PatchAsync($"Users/{bobId}", Body("""{ "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{ "op": "replace", "value": { "active": false } }] }""")))
            .ShouldBeScimErrorAsync(HttpStatusCode.Unauthorized);
        await (await aOnB.DeleteAsync($"Groups/{teamId}")).ShouldBeScimErrorAsync(HttpStatusCode.Unauthorized);

        // A's own address with B's ids: B's rows are not A's to find.
        await (await scimA.GetAsync($"Users/{bobId}")).ShouldBeScimErrorAsync(HttpStatusCode.NotFound);
        await (await scimA.DeleteAsync($"Users/{bobId}")).ShouldBeScimErrorAsync(HttpStatusCode.NotFound);
        await (await scimA.DeleteAsync($"Groups/{teamId}")).ShouldBeScimErrorAsync(HttpStatusCode.NotFound);

        (await world.MembersAsync(organizationB)).Should().BeEquivalentTo(membersBefore);
        (await (await scimB.GetAsync($"Users/{bobId}")).ShouldBeScimAsync(HttpStatusCode.OK)).GetProperty("active").GetBoolean().Should().BeTrue();
        await (await scimB.GetAsync($"Groups/{teamId}")).ShouldBeScimAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_directory_provisions_only_addresses_at_the_organizations_dns_verified_domains_and_never_pulls_in_anyone_else()
    {
        var (organizationId, scim, _) = await world.OrganizationAsync("Puller");
        var outsider = await world.Factory.RegisterAsync("outsider");

        await (await scim.PostAsync("Users", NewUser(outsider.Email))).ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "invalidValue");
        await (await scim.PostAsync("Users", NewUser("new.person@elsewhere.example"))).ShouldBeScimErrorAsync(HttpStatusCode.BadRequest, "invalidValue");

        (await world.MembersAsync(organizationId)).Should().NotContainKey(outsider.Email, "an existing account elsewhere is invited, never provisioned");
        (await world.Factory.LoginStatusAsync("new.person@elsewhere.example", ApiFactory.Password)).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_existing_account_at_a_verified_domain_is_refused_as_uniqueness_and_keeps_its_password_sign_in()
    {
        var (organizationId, scim, _) = await world.OrganizationAsync("Taker");
        var olivia = await world.Factory.RegisterAsync("olivia", NewAddress(organizationId));
        await olivia.CreateOrganizationAsync("Olivia's own");

        var refused = await (await scim.PostAsync("Users", NewUser(olivia.Email))).ShouldBeScimErrorAsync(HttpStatusCode.Conflict, "uniqueness");

        refused.GetProperty("detail").GetString().Should().Contain("exists");
        (await world.MembersAsync(organizationId)).Should().NotContainKey(olivia.Email, "an existing account is invited or joins, never provisioned");
        (await (await scim.GetAsync($"Users?filter=userName+eq+%22{olivia.Email}%22")).ShouldBeScimAsync(HttpStatusCode.OK))
            .GetProperty("totalResults").GetInt32().Should().Be(0);
        (await world.Factory.LoginStatusAsync(olivia.Email, ApiFactory.Password)).Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_team_made_and_filled_by_hand_is_not_deleted_by_the_directory()
    {
        var (organizationId, scim, _) = await world.OrganizationAsync("Hand teams");
        var teams = $"/api/organizations/{organizationId}/teams";
        var created = await world.Owner.Client.PostAsJsonAsync(teams, new { name = "Made by hand" });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var teamId = (await created.JsonAsync()).GetProperty("id").GetString();
        (await world.Owner.Client.PostAsJsonAsync($"{teams}/{teamId}/members", new { userId = world.Owner.Id })).EnsureSuccessStatusCode();
        (await world.Owner.Client.PutAsync($"{teams}/{teamId}/leaders/{world.Owner.Id}", null)).EnsureSuccessStatusCode();

        await (await scim.DeleteAsync($"Groups/{teamId}")).ShouldBeScimErrorAsync(HttpStatusCode.Conflict);

        var members = await (await world.Owner.Client.GetAsync($"{teams}/{teamId}/members")).JsonAsync();
        members.GetArrayLength().Should().Be(1, "the hand-placed leader stays in the team");
    }

    [Fact]
    public async Task A_scim_token_reaches_nothing_but_its_scim_routes()
    {
        var (organizationId, _, token) = await world.OrganizationAsync("Only SCIM");
        using var client = world.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        (await client.GetAsync($"/api/organizations/{organizationId}/members")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.PostAsJsonAsync($"/api/organizations/{organizationId}/members", new { email = world.Owner.Email, role = "MEMBER" })).StatusCode
            .Should().Be(HttpStatusCode.Unauthorized);
        (await client.GetAsync("/api/organizations")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.GetAsync("/api/auth/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await client.SendAsync(McpRequests.JsonRpc(organizationId, "initialize", bearer: token))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var anonymous = world.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var page in new[] { $"/organizations/{organizationId}/members", $"/organizations/{organizationId}/settings/security", "/Account/Manage" })
        {
            var withToken = await client.GetAsync(page);
            var without = await anonymous.GetAsync(page);
            (withToken.StatusCode, withToken.Headers.Location).Should().Be((without.StatusCode, without.Headers.Location), $"{page} with a SCIM token is {page} with no one signed in");
        }

        using var keyed = world.Factory.CreateClient();
        keyed.DefaultRequestHeaders.Add("X-Api-Key", token);
        (await keyed.GetAsync($"/api/organizations/{organizationId}/members")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Scim_takes_no_person_token_no_api_key_and_no_revoked_or_orphaned_token()
    {
        var (organizationId, scim, _) = await world.OrganizationAsync("Strict");
        var users = new Uri(scim.BaseAddress!, "Users");

        // The owner's own bearer token: SCIM is the directory's door, not a person's.
        await (await world.Owner.Client.GetAsync(users)).ShouldBeScimErrorAsync(HttpStatusCode.Unauthorized);
        var (_, key) = await ApiWorld.CreateKeyAsync(world.Owner, organizationId, "OWNER");
        using (var keyed = world.Factory.CreateClient())
        {
            keyed.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            await (await keyed.GetAsync(users)).ShouldBeScimErrorAsync(HttpStatusCode.Unauthorized);
        }

        await world.RevokeTokensAsync(world.Owner.Id, organizationId);
        await (await scim.GetAsync("Users")).ShouldBeScimErrorAsync(HttpStatusCode.Unauthorized);

        // A token whose creator is demoted to MEMBER stops: it never acts above its creator of the moment.
        var second = await world.Factory.RegisterAsync("second");
        await world.Owner.AddMemberAsync(organizationId, second, "OWNER");
        var secondsToken = world.ScimClient(organizationId, await world.CreateTokenAsync(second.Id, organizationId));
        await (await secondsToken.GetAsync("Users")).ShouldBeScimAsync(HttpStatusCode.OK);
        (await world.Owner.Client.PatchAsJsonAsync($"/api/organizations/{organizationId}/members/{second.Id}", new { role = "MEMBER" })).EnsureSuccessStatusCode();
        await (await secondsToken.GetAsync("Users")).ShouldBeScimErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Only_an_owner_creates_lists_or_revokes_scim_tokens()
    {
        var (organizationId, _, _) = await world.OrganizationAsync("Owners only");
        var admin = await world.Factory.RegisterAsync("tokenadmin");
        await world.Owner.AddMemberAsync(organizationId, admin, "ADMIN");

        var creating = () => world.CreateTokenAsync(admin.Id, organizationId);
        (await creating.Should().ThrowAsync<MultiOrg.Domain.Errors.DomainException>()).Which.Kind.Should().Be(MultiOrg.Domain.Errors.DomainErrorKind.Forbidden);
        var revoking = () => world.RevokeTokensAsync(admin.Id, organizationId);
        (await revoking.Should().ThrowAsync<MultiOrg.Domain.Errors.DomainException>()).Which.Kind.Should().Be(MultiOrg.Domain.Errors.DomainErrorKind.Forbidden);
    }

    [Fact]
    public async Task Changes_through_scim_are_audited_through_the_directory_door()
    {
        var (organizationId, scim, _) = await world.OrganizationAsync("Audited");
        await (await scim.PostAsync("Users", NewUser(NewAddress(organizationId)))).ShouldBeScimAsync(HttpStatusCode.Created);
        await using var db = world.Factory.Database.CreateContext();
        var doors = await db.AuditEntries.IgnoreQueryFilters().Where(a => a.OrganizationId == organizationId && a.TargetType == "OrganizationMember")
            .Select(a => new { a.Door, a.ActorUserId }).ToListAsync();
        doors.Should().Contain(new { Door = Door.Directory, ActorUserId = (string?)world.Owner.Id });
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Domain.Users;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.ApiKeys;

/// <summary>A key never exceeds its creator's rights of the moment: each request re-reads the creator's standing.</summary>
public sealed class ApiKeyStandingTests(ApiWorld world) : IClassFixture<ApiWorld>
{
    private static Task<(Guid Id, string Secret)> CreateKeyAsync(ApiUser creator, Guid organizationId, string role, string name = "Integration") =>
        ApiWorld.CreateKeyAsync(creator, organizationId, role, name);

    private HttpClient KeyClient(string secret) => world.KeyClient(secret);

    private async Task<JsonElement> ListedAsync(ApiUser viewer, Guid organizationId, Guid keyId) =>
        (await viewer.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{organizationId}/api-keys"))
            .EnumerateArray().Single(k => k.GetProperty("id").GetGuid() == keyId);

    [Fact]
    public async Task A_demoted_creators_owner_key_acts_with_the_creators_new_role_at_once()
    {
        var id = await world.FullOrganizationAsync("Demotion");
        var (keyId, secret) = await CreateKeyAsync(world.SecondOwner, id, "OWNER");
        using var key = KeyClient(secret);
        (await (await key.GetAsync($"/api/organizations/{id}")).JsonAsync()).GetProperty("role").GetString().Should().Be("OWNER");

        (await world.Owner.Client.PatchAsJsonAsync($"/api/organizations/{id}/members/{world.SecondOwner.Id}", new { role = "MEMBER" })).EnsureSuccessStatusCode();
        var seen = await (await key.GetAsync($"/api/organizations/{id}")).JsonAsync();
        var promoteBack = await key.PatchAsJsonAsync($"/api/organizations/{id}/members/{world.SecondOwner.Id}", new { role = "OWNER" });
        var demoteOwner = await key.PatchAsJsonAsync($"/api/organizations/{id}/members/{world.Owner.Id}", new { role = "MEMBER" });
        var listed = await ListedAsync(world.Owner, id, keyId);

        seen.GetProperty("role").GetString().Should().Be("MEMBER");
        promoteBack.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        demoteOwner.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        listed.GetProperty("role").GetString().Should().Be("OWNER");
        listed.GetProperty("effectiveRole").GetString().Should().Be("MEMBER");
        listed.GetProperty("status").GetString().Should().Be("Active");
        listed.GetProperty("explanation").GetString().Should().Contain("MEMBER");
    }

    [Fact]
    public async Task A_key_stops_with_401_when_its_creator_is_removed_from_the_organization()
    {
        var id = await world.FullOrganizationAsync("Removal");
        var (keyId, secret) = await CreateKeyAsync(world.Admin, id, "ADMIN");
        using var key = KeyClient(secret);
        (await key.GetAsync($"/api/organizations/{id}/members")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await world.Owner.Client.DeleteAsync($"/api/organizations/{id}/members/{world.Admin.Id}")).EnsureSuccessStatusCode();
        var after = await key.GetAsync($"/api/organizations/{id}/members");
        var listed = await ListedAsync(world.Owner, id, keyId);

        after.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        listed.GetProperty("status").GetString().Should().Be("Revoked", "removing a member revokes the keys they made (or hands them over)");
        listed.GetProperty("effectiveRole").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task Partner_staff_removed_from_the_partner_lose_their_keys_in_every_client_in_the_very_next_request()
    {
        var staff = await world.Factory.RegisterAsync("staff");
        var partner = await world.Owner.CreateOrganizationAsync("Staffed partner");
        await world.MakePartnerAsync(partner);
        await world.Owner.AddMemberAsync(partner, staff, "ADMIN");
        var onboarded = await (await staff.Client.PostAsJsonAsync($"/api/organizations/{partner}/clients",
            new { name = "Staffed client", path = "Template", countryCode = "US" })).JsonAsync();
        var client = onboarded.GetProperty("organizationId").GetGuid();
        var (keyId, secret) = await CreateKeyAsync(staff, client, "ADMIN");
        using var onboardingKey = KeyClient(onboarded.GetProperty("apiKey").GetString()!);
        using var staffKey = KeyClient(secret);
        (await onboardingKey.GetAsync($"/api/organizations/{client}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await staffKey.GetAsync($"/api/organizations/{client}")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await world.Owner.Client.DeleteAsync($"/api/organizations/{partner}/members/{staff.Id}")).EnsureSuccessStatusCode();

        (await onboardingKey.GetAsync($"/api/organizations/{client}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await staffKey.GetAsync($"/api/organizations/{client}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var listed = await ListedAsync(world.Owner, client, keyId);
        listed.GetProperty("status").GetString().Should().Be("Stopped");
        listed.GetProperty("refusal").GetString().Should().Be("CreatorHasNoAccess");
        listed.GetProperty("effectiveRole").ValueKind.Should().Be(JsonValueKind.Null);
        listed.GetProperty("explanation").GetString().Should().Contain("no longer belongs");
    }

    [Fact]
    public async Task A_key_stops_with_401_while_its_creator_is_locked_out()
    {
        var creator = await world.Factory.RegisterAsync("lockable");
        var id = await creator.CreateOrganizationAsync("Locked");
        (await creator.Client.PostAsJsonAsync($"/api/organizations/{id}/members", new { email = world.Owner.Email, role = "OWNER" })).EnsureSuccessStatusCode();
        var (keyId, secret) = await CreateKeyAsync(creator, id, "ADMIN");
        using var key = KeyClient(secret);
        (await key.GetAsync($"/api/organizations/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);

        using var anonymous = world.Factory.CreateClient();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await anonymous.PostAsJsonAsync("/api/auth/login", new { email = creator.Email, password = "Wrong!Passw0rd" });
        }

        (await key.GetAsync($"/api/organizations/{id}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await ListedAsync(world.Owner, id, keyId)).GetProperty("refusal").GetString().Should().Be("CreatorLockedOut");
    }

    [Fact]
    public async Task A_key_stops_with_401_once_its_creators_account_is_deleted()
    {
        var creator = await world.Factory.RegisterAsync("leaving");
        var id = await creator.CreateOrganizationAsync("Orphaned keys");
        (await creator.Client.PostAsJsonAsync($"/api/organizations/{id}/members", new { email = world.Owner.Email, role = "OWNER" })).EnsureSuccessStatusCode();
        var (keyId, secret) = await CreateKeyAsync(creator, id, "ADMIN");
        using var key = KeyClient(secret);
        (await key.GetAsync($"/api/organizations/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);

        using (var scope = world.Factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            (await users.DeleteAsync((await users.FindByIdAsync(creator.Id))!)).Succeeded.Should().BeTrue();
        }

        (await key.GetAsync($"/api/organizations/{id}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await ListedAsync(world.Owner, id, keyId)).GetProperty("refusal").GetString().Should().Be("CreatorDeleted");
    }
}

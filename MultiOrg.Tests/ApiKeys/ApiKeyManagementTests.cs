using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.ApiKeys;

/// <summary>
/// Keys are managed by signed-in people: a key neither makes, lists nor revokes keys (a child key would outlive its
/// parent's revocation and expiry), and only someone whose role is at least a key's role may revoke it.
/// </summary>
public sealed class ApiKeyManagementTests(ApiWorld world) : IClassFixture<ApiWorld>
{
    private static Task<(Guid Id, string Secret)> CreateKeyAsync(ApiUser creator, Guid organizationId, string role, DateTime? expiresAt = null) =>
        ApiWorld.CreateKeyAsync(creator, organizationId, role, $"{role} key", expiresAt);

    private HttpClient KeyClient(string secret) => world.KeyClient(secret);

    private static async Task<IReadOnlyList<Guid>> KeyIdsAsync(ApiUser viewer, Guid organizationId) =>
        [.. (await viewer.Client.GetFromJsonAsync<JsonElement>($"/api/organizations/{organizationId}/api-keys")).EnumerateArray().Select(k => k.GetProperty("id").GetGuid())];

    [Fact]
    public async Task An_api_key_cannot_create_list_or_revoke_api_keys_and_is_told_a_signed_in_person_manages_them()
    {
        var id = await world.FullOrganizationAsync("Keys make no keys");
        var (parentId, secret) = await CreateKeyAsync(world.Owner, id, "OWNER", DateTime.UtcNow.AddMinutes(2));
        var (siblingId, _) = await CreateKeyAsync(world.Owner, id, "MEMBER");
        using var key = KeyClient(secret);
        var url = $"/api/organizations/{id}/api-keys";

        var create = await key.PostAsJsonAsync(url, new { name = "child", role = "ADMIN", expiresAt = (DateTime?)null });
        var createGarbage = await key.PostAsync(url, new StringContent("{\"role\":42,", System.Text.Encoding.UTF8, "application/json"));
        var list = await key.GetAsync(url);
        var revokeSibling = await key.DeleteAsync($"{url}/{siblingId}");
        var revokeSelf = await key.DeleteAsync($"{url}/{parentId}");
        var revokeUnknown = await key.DeleteAsync($"{url}/{Guid.NewGuid()}");
        var stillWorks = await key.GetAsync($"/api/organizations/{id}");

        foreach (var (what, response) in new[] { ("create", create), ("create with a broken body", createGarbage), ("list", list), ("revoke another key", revokeSibling), ("revoke itself", revokeSelf), ("revoke an unknown key", revokeUnknown) })
        {
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(HttpStatusCode.Forbidden, $"a key may not {what}: {body}");
            body.Should().Contain("signed-in person", $"the refusal to {what} says who manages keys");
        }

        stillWorks.StatusCode.Should().Be(HttpStatusCode.OK, "the refusal is about keys, not about the key's other rights");
        (await KeyIdsAsync(world.Owner, id)).Should().BeEquivalentTo([parentId, siblingId], "no child key was made");
    }

    [Fact]
    public async Task An_admin_cannot_revoke_an_owners_owner_key_and_the_key_keeps_working()
    {
        var id = await world.FullOrganizationAsync("Owner keys");
        var (ownerKeyId, secret) = await CreateKeyAsync(world.Owner, id, "OWNER");

        var revoke = await world.Admin.Client.DeleteAsync($"/api/organizations/{id}/api-keys/{ownerKeyId}");

        var body = await revoke.Content.ReadAsStringAsync();
        revoke.StatusCode.Should().Be(HttpStatusCode.Forbidden, body);
        body.Should().Contain("Only an owner");
        using var key = KeyClient(secret);
        (await key.GetAsync($"/api/organizations/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_admin_revokes_keys_up_to_admin_and_an_owner_revokes_another_owners_owner_key()
    {
        var id = await world.FullOrganizationAsync("Revoke within role");
        var (ownersAdminKey, _) = await CreateKeyAsync(world.Owner, id, "ADMIN");
        var (ownersMemberKey, _) = await CreateKeyAsync(world.Owner, id, "MEMBER");
        var (secondOwnersKey, secret) = await CreateKeyAsync(world.SecondOwner, id, "OWNER");

        (await world.Admin.Client.DeleteAsync($"/api/organizations/{id}/api-keys/{ownersAdminKey}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await world.Admin.Client.DeleteAsync($"/api/organizations/{id}/api-keys/{ownersMemberKey}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await world.Owner.Client.DeleteAsync($"/api/organizations/{id}/api-keys/{secondOwnersKey}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        using var key = KeyClient(secret);
        (await key.GetAsync($"/api/organizations/{id}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.ApiKeys;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.ApiKeys;

public sealed class ApiKeysApiTests(ApiWorld world) : IClassFixture<ApiWorld>
{
    private async Task<(Guid KeyId, string Secret)> CreateKeyAsync(ApiUser creator, Guid organizationId, string role = "ADMIN")
    {
        var response = await creator.Client.PostAsJsonAsync($"/api/organizations/{organizationId}/api-keys", new { name = "Integration", role });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var body = await response.JsonAsync();
        return (body.GetProperty("key").GetProperty("id").GetGuid(), body.GetProperty("secret").GetString()!);
    }

    private HttpClient KeyClient(string secret, bool header = false)
    {
        var client = world.Factory.CreateClient();
        if (header)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", secret);
        }
        else
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }

        return client;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_key_works_for_its_organization_as_bearer_or_header(bool header)
    {
        var id = await world.FullOrganizationAsync("Keyed");
        var (_, secret) = await CreateKeyAsync(world.Owner, id);
        using var client = KeyClient(secret, header);

        var details = await client.GetAsync($"/api/organizations/{id}");
        var members = await client.GetFromJsonAsync<JsonElement>($"/api/organizations/{id}/members");
        var mine = await client.GetAsync("/api/organizations");

        details.StatusCode.Should().Be(HttpStatusCode.OK);
        (await details.JsonAsync()).GetProperty("role").GetString().Should().Be("ADMIN");
        members.GetProperty("total").GetInt32().Should().Be(5);
        mine.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the list of a person's organizations is not an organization's route");
        secret.Should().StartWith(ApiKeyService.KeyPrefix);
    }

    [Fact]
    public async Task A_key_is_no_credential_for_every_other_organizations_ids_even_where_its_creator_is_a_member()
    {
        var keyed = await world.Owner.CreateOrganizationAsync("Key home");
        var other = await world.FullOrganizationAsync("Creator is owner here too");
        var (_, secret) = await CreateKeyAsync(world.Owner, keyed);
        using var client = KeyClient(secret);
        var url = $"/api/organizations/{other}";

        var responses = new[]
        {
            await client.GetAsync(url),
            await client.GetAsync($"{url}/members"),
            await client.PostAsJsonAsync($"{url}/members", new { email = world.Outsider.Email }),
            await client.DeleteAsync($"{url}/members/{world.Member.Id}"),
            await client.GetAsync($"{url}/notes"),
            await client.GetAsync($"{url}/api-keys"),
            await client.PostAsync($"{url}/switch", null),
        };

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_revoked_key_gets_401_at_once()
    {
        var id = await world.Owner.CreateOrganizationAsync("Revoking");
        var (keyId, secret) = await CreateKeyAsync(world.Owner, id);
        using var client = KeyClient(secret);
        (await client.GetAsync($"/api/organizations/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await world.Owner.Client.DeleteAsync($"/api/organizations/{id}/api-keys/{keyId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await client.GetAsync($"/api/organizations/{id}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_expired_key_gets_401()
    {
        var id = await world.Owner.CreateOrganizationAsync("Expiring");
        var (keyId, secret) = await CreateKeyAsync(world.Owner, id);
        await using (var db = world.Factory.Database.CreateContext())
        {
            await db.Set<ApiKey>().IgnoreQueryFilters().Where(k => k.Id == keyId)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.ExpiresAt, DateTime.UtcNow.AddSeconds(-1)));
        }

        using var client = KeyClient(secret);

        (await client.GetAsync($"/api/organizations/{id}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_tampered_or_unknown_key_gets_401()
    {
        var id = await world.Owner.CreateOrganizationAsync("Tamper");
        var (_, secret) = await CreateKeyAsync(world.Owner, id);
        using var tampered = KeyClient(secret[..^2] + (secret[^1] == 'A' ? "BB" : "AA"));
        using var unknown = KeyClient("mo_000000000000_nope");

        (await tampered.GetAsync($"/api/organizations/{id}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await unknown.GetAsync($"/api/organizations/{id}")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_plain_key_is_never_stored()
    {
        var id = await world.Owner.CreateOrganizationAsync("Hashing");
        var (keyId, secret) = await CreateKeyAsync(world.Owner, id);

        await using var db = world.Factory.Database.CreateContext();
        var row = await db.Set<ApiKey>().IgnoreQueryFilters().SingleAsync(k => k.Id == keyId);
        row.SecretHash.Should().HaveCount(32);
        row.SecretHash.Should().NotEqual(System.Text.Encoding.UTF8.GetBytes(secret));
        var secretPart = secret[(ApiKeyService.KeyPrefix.Length + 13)..];
        var stored = System.Text.Encoding.Latin1.GetString(await world.Factory.Database.StoredBytesAsync());
        stored.Should().NotContain(secretPart);
        stored.Should().Contain(row.Prefix, "the prefix is stored, so the scan itself can find stored text");
    }

    [Fact]
    public async Task A_member_key_is_refused_admin_work_and_no_key_outranks_its_creator()
    {
        var id = await world.FullOrganizationAsync("Roles of keys");
        var (_, secret) = await CreateKeyAsync(world.Owner, id, "MEMBER");
        using var client = KeyClient(secret);

        var add = await client.PostAsJsonAsync($"/api/organizations/{id}/members", new { email = world.Outsider.Email });
        var ownerKeyByAdmin = await world.Admin.Client.PostAsJsonAsync($"/api/organizations/{id}/api-keys", new { name = "Too strong", role = "OWNER" });

        add.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        ownerKeyByAdmin.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Listing_keys_shows_prefix_and_status_but_never_a_secret()
    {
        var id = await world.Owner.CreateOrganizationAsync("Listing");
        var (_, secret) = await CreateKeyAsync(world.Owner, id);

        var list = await world.Owner.Client.GetStringAsync($"/api/organizations/{id}/api-keys");

        list.Should().NotContain(secret[(ApiKeyService.KeyPrefix.Length + 13)..]);
        list.Should().Contain(secret[..(ApiKeyService.KeyPrefix.Length + 12)]);
    }
}

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MultiOrg.Domain.Joining;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Scim;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Scim;

/// <summary>One test host for the SCIM tests: organizations that proved their own domain by DNS, and their SCIM tokens.</summary>
public sealed class ScimWorld : IAsyncLifetime
{
    public const string ScimJson = "application/scim+json";

    public ApiFactory Factory { get; } = new();

    public ApiUser Owner { get; private set; } = null!;

    public async Task InitializeAsync() => Owner = await Factory.RegisterAsync("owner");

    /// <summary>An organization on the Team plan that proved <see cref="DomainOf"/> by DNS, and a SCIM token made by the owner.</summary>
    public async Task<(Guid OrganizationId, HttpClient Scim, string Token)> OrganizationAsync(string name, ApiUser? owner = null, string plan = "team")
    {
        owner ??= Owner;
        var id = await owner.CreateOrganizationAsync(name);
        if (plan != "free")
        {
            (await owner.Client.PostAsJsonAsync($"/api/organizations/{id}/billing/plan", new { plan })).EnsureSuccessStatusCode();
        }

        await ProveDomainAsync(id, owner.Id);
        var token = await CreateTokenAsync(owner.Id, id);
        return (id, ScimClient(id, token), token);
    }

    /// <summary>What the owner does on Settings → Security → Directory sync, through the same service the page calls.</summary>
    public async Task<string> CreateTokenAsync(string ownerId, Guid organizationId, string name = "Identity provider")
    {
        using var scope = Factory.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().SetUser(ownerId);
        await scope.ServiceProvider.GetRequiredService<OrganizationService>().EnterAsync(organizationId);
        return (await scope.ServiceProvider.GetRequiredService<ScimTokenService>().CreateAsync(name)).Secret;
    }

    public async Task RevokeTokensAsync(string ownerId, Guid organizationId)
    {
        using var scope = Factory.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().SetUser(ownerId);
        await scope.ServiceProvider.GetRequiredService<OrganizationService>().EnterAsync(organizationId);
        var service = scope.ServiceProvider.GetRequiredService<ScimTokenService>();
        foreach (var token in await service.ListAsync())
        {
            await service.RevokeAsync(token.Id);
        }
    }

    /// <summary>A client that speaks to <c>/scim/v2/{organization}/</c> with the token as a bearer token, as an identity provider does.</summary>
    public HttpClient ScimClient(Guid organizationId, string token)
    {
        var client = Factory.CreateClient();
        client.BaseAddress = new Uri(client.BaseAddress!, $"/scim/v2/{organizationId}/");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Each organization's own domain: one organization at most holds a domain's DNS proof.</summary>
    public static string DomainOf(Guid organizationId) => $"o{organizationId:N}.example.test";

    /// <summary>
    /// What a passed DNS check leaves, written straight in the database: the check itself is tested against dnsmasq in
    /// DomainVerificationTests; here it is set-up for the directory.
    /// </summary>
    private async Task ProveDomainAsync(Guid organizationId, string ownerId)
    {
        await using var db = Factory.Database.CreateContext(TenantContext.ForJob(organizationId, ""));
        var domain = DomainOf(organizationId);
        db.Set<VerifiedDomain>().Add(new VerifiedDomain
        {
            OrganizationId = organizationId, Domain = domain, VerifiedByUserId = ownerId, Method = "dns",
            DnsVerifiedDomain = domain, DnsVerifiedAt = DateTime.UtcNow,
        });
        await db.SaveChangesAsync();
    }

    /// <summary>A minimal create body for one address at the organization's verified domain.</summary>
    public static StringContent NewUser(string userName, string? email = null) => Body($$"""
        { "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "{{userName}}", "emails": [{ "primary": true, "value": "{{email ?? userName}}" }], "active": true }
        """);

    public static string NewAddress(Guid organizationId) => $"person.{Guid.NewGuid():N}@{DomainOf(organizationId)}";

    public static StringContent Body(string json) => new(json, Encoding.UTF8, ScimJson);

    public async Task<Dictionary<string, OrganizationRole>> MembersAsync(Guid organizationId)
    {
        await using var db = Factory.Database.CreateContext();
        return await db.OrganizationMembers.Where(m => m.OrganizationId == organizationId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Email, m.Role })
            .ToDictionaryAsync(m => m.Email!, m => m.Role);
    }

    public async Task<string> UserIdAsync(string email)
    {
        await using var db = Factory.Database.CreateContext();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    public async Task<string?> DisplayNameAsync(string email)
    {
        await using var db = Factory.Database.CreateContext();
        return await db.Users.Where(u => u.Email == email).Select(u => u.DisplayName).SingleAsync();
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }
}

public static class ScimAssertions
{
    /// <summary>What <c>POST /api/auth/login</c> answers for this address and password.</summary>
    public static async Task<System.Net.HttpStatusCode> LoginStatusAsync(this ApiFactory factory, string email, string password)
    {
        using var anonymous = factory.CreateClient();
        return (await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password })).StatusCode;
    }

    /// <summary>The response's status and SCIM content type, and its JSON body (the body shown when the status is not the expected one).</summary>
    public static async Task<JsonElement> ShouldBeScimAsync(this HttpResponseMessage response, System.Net.HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, text);
        if (text.Length == 0)
        {
            return default;
        }

        response.Content.Headers.ContentType?.MediaType.Should().Be(ScimWorld.ScimJson);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>RFC 7644 §3.12: the Error schema, the status as a string, and the scimType when one applies.</summary>
    public static async Task<JsonElement> ShouldBeScimErrorAsync(this HttpResponseMessage response, System.Net.HttpStatusCode status, string? scimType = null)
    {
        var error = await response.ShouldBeScimAsync(status);
        error.GetProperty("schemas").EnumerateArray().Select(s => s.GetString()).Should().Equal("urn:ietf:params:scim:api:messages:2.0:Error");
        error.GetProperty("status").GetString().Should().Be(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
        error.GetProperty("detail").GetString().Should().NotBeNullOrWhiteSpace();
        if (scimType is null)
        {
            error.TryGetProperty("scimType", out _).Should().BeFalse();
        }
        else
        {
            error.GetProperty("scimType").GetString().Should().Be(scimType);
        }

        return error;
    }
}

using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;

namespace MultiOrg.Tests.Harness;

/// <summary>One test host and a cast of registered people, shared by a test class; each test makes its own organizations.</summary>
public sealed class ApiWorld : IAsyncLifetime
{
    public ApiFactory Factory { get; } = new();

    public ApiUser Owner { get; private set; } = null!;

    public ApiUser SecondOwner { get; private set; } = null!;

    public ApiUser Admin { get; private set; } = null!;

    public ApiUser Member { get; private set; } = null!;

    public ApiUser Target { get; private set; } = null!;

    public ApiUser Outsider { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Owner = await Factory.RegisterAsync("owner");
        SecondOwner = await Factory.RegisterAsync("owner2");
        Admin = await Factory.RegisterAsync("admin");
        Member = await Factory.RegisterAsync("member");
        Target = await Factory.RegisterAsync("target");
        Outsider = await Factory.RegisterAsync("outsider");
    }

    /// <summary>An organization with two owners, an admin, a member and a target member, and an outsider who is none.</summary>
    public async Task<Guid> FullOrganizationAsync(string name = "Acme")
    {
        var id = await Owner.CreateOrganizationAsync(name);

        // Five members fill the Free plan; Team leaves seats for the tests that add someone.
        (await Owner.Client.PostAsJsonAsync($"/api/organizations/{id}/billing/plan", new { plan = "team" })).EnsureSuccessStatusCode();
        await Owner.AddMemberAsync(id, SecondOwner, "OWNER");
        await Owner.AddMemberAsync(id, Admin, "ADMIN");
        await Owner.AddMemberAsync(id, Member, "MEMBER");
        await Owner.AddMemberAsync(id, Target, "MEMBER");
        return id;
    }

    public async Task MakePartnerAsync(Guid organizationId)
    {
        await using var db = Factory.Database.CreateContext();
        await db.Organizations.Where(o => o.Id == organizationId)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Kind, MultiOrg.Domain.Organizations.OrganizationKind.Partner));
        await Factory.Database.SubscribeAsync(organizationId, MultiOrg.Domain.Billing.BillingOptions.Defaults().Plans.Single(p => p.Code == "partner"));
    }

    /// <summary>A key made by <paramref name="creator"/> over the API: its id and the secret shown once.</summary>
    public static async Task<(Guid Id, string Secret)> CreateKeyAsync(ApiUser creator, Guid organizationId, string role, string name = "Integration", DateTime? expiresAt = null)
    {
        var response = await creator.Client.PostAsJsonAsync($"/api/organizations/{organizationId}/api-keys", new { name, role, expiresAt });
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.JsonAsync();
        return (body.GetProperty("key").GetProperty("id").GetGuid(), SuiteLogs.Secret("API key", body.GetProperty("secret").GetString()!));
    }

    /// <summary>A client that presents <paramref name="secret"/> as <c>X-Api-Key</c>, and nothing else.</summary>
    public HttpClient KeyClient(string secret)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", secret);
        return client;
    }

    public ApiUser As(string role) => role switch
    {
        "OWNER" => Owner,
        "ADMIN" => Admin,
        "MEMBER" => Member,
        _ => Outsider,
    };

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }
}

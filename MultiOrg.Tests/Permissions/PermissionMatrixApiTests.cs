using System.Net;
using System.Net.Http.Json;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Tests.Harness;

namespace MultiOrg.Tests.Permissions;

/// <summary>
/// Every cell of the design document's permission matrix, over real HTTP. The expected answer comes from the one
/// permission table in code; a non-member is refused everything with 403.
/// </summary>
public sealed class PermissionMatrixApiTests(ApiWorld world) : IClassFixture<ApiWorld>
{
    public static TheoryData<Permission, string> Cells()
    {
        var data = new TheoryData<Permission, string>();
        foreach (var permission in Enum.GetValues<Permission>())
        {
            foreach (var role in new[] { "OWNER", "ADMIN", "MEMBER", "OUTSIDER" })
            {
                data.Add(permission, role);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Each_role_gets_exactly_what_the_permission_table_allows(Permission permission, string role)
    {
        var organizationId = await world.FullOrganizationAsync();
        if (permission is Permission.CreateClients or Permission.ManageClients)
        {
            await world.MakePartnerAsync(organizationId);
        }

        var client = world.As(role).Client;
        var url = $"/api/organizations/{organizationId}";
        var team = RolePermissions.TeamScoped.Contains(permission)
            ? (await (await world.Owner.Client.PostAsJsonAsync($"{url}/teams", new { name = "Ops" })).JsonAsync()).GetProperty("id").GetGuid()
            : Guid.Empty;

        var response = permission switch
        {
            Permission.ViewOrganization => await client.GetAsync(url),
            Permission.EditOrganization => await client.PatchAsJsonAsync(url, new { name = "Renamed" }),
            Permission.DeleteOrganization => await client.DeleteAsync(url),
            Permission.InviteMembers => await client.PostAsJsonAsync($"{url}/members", new { email = world.Outsider.Email }),
            Permission.RemoveMembers => await client.DeleteAsync($"{url}/members/{world.Target.Id}"),
            Permission.ChangeMemberRoles => await client.PatchAsJsonAsync($"{url}/members/{world.Target.Id}", new { role = "ADMIN" }),
            Permission.ViewMembers => await client.GetAsync($"{url}/members"),
            Permission.LeaveOrganization => await client.DeleteAsync($"{url}/leave"),
            Permission.UseOrganizationData => await client.GetAsync($"{url}/notes"),
            Permission.EditConfiguration => await client.PostAsJsonAsync($"{url}/accounts", new { number = "9990", name = "Suspense", type = "Asset" }),
            Permission.ViewAuditLog => await client.GetAsync($"{url}/audit"),
            Permission.ViewBilling => await client.GetAsync($"{url}/billing"),
            Permission.ManageBilling => await client.PostAsJsonAsync($"{url}/billing/plan/preview", new { plan = "business" }),
            Permission.ManageApiKeys => await client.PostAsJsonAsync($"{url}/api-keys", new { name = "CI", role = "MEMBER" }),
            Permission.CreateClients => await client.PostAsJsonAsync($"{url}/clients", new { name = "New client", path = "Template", countryCode = "US" }),
            Permission.ManageClients => await client.GetAsync($"{url}/partner/dashboard"),
            Permission.ViewSecurity => await client.GetAsync($"{url}/security"),
            Permission.ManageSecurity => await client.PutAsJsonAsync($"{url}/security", new { idleTimeoutMinutes = 30 }),
            Permission.ManageSingleSignOn => await client.PutAsJsonAsync($"{url}/sso",
                new { authority = "https://login.acme.example", clientId = "multiorg", clientSecret = "provider-secret", enabled = false }),
            Permission.ManageAuditRetention => await client.PutAsJsonAsync($"{url}/security", new { auditRetentionDays = 400 }),
            Permission.ManageDepartments => await client.PostAsJsonAsync($"{url}/departments", new { name = "Sales" }),
            Permission.ManageTeams => await client.PatchAsJsonAsync($"{url}/teams/{team}", new { name = "Operations" }),
            Permission.NameTeamLeaders => await client.PutAsync($"{url}/teams/{team}/leaders/{world.Target.Id}", null),
            Permission.ManageTeamMembers => await client.PostAsJsonAsync($"{url}/teams/{team}/members", new { userId = world.Target.Id }),
            Permission.ManageDirectorySync => await client.PostAsJsonAsync($"{url}/scim-tokens", new { name = "Entra ID" }),
            _ => throw new ArgumentOutOfRangeException(nameof(permission)),
        };

        var allowed = role != "OUTSIDER" && Parse(role).Allows(permission);
        if (allowed)
        {
            response.IsSuccessStatusCode.Should().BeTrue($"{role} may {permission}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        else
        {
            response.StatusCode.Should().Be(HttpStatusCode.Forbidden, $"{role} may not {permission}");
            (await response.JsonAsync()).GetProperty("detail").GetString().Should().NotBeNullOrWhiteSpace();
        }
    }

    [Fact]
    public void The_matrix_is_the_design_documents()
    {
        string Row(Permission p) => string.Concat(new[] { OrganizationRole.Owner, OrganizationRole.Admin, OrganizationRole.Member }.Select(r => r.Allows(p) ? "Y" : "n"));

        Row(Permission.ViewOrganization).Should().Be("YYY");
        Row(Permission.EditOrganization).Should().Be("YYn");
        Row(Permission.DeleteOrganization).Should().Be("Ynn");
        Row(Permission.InviteMembers).Should().Be("YYn");
        Row(Permission.RemoveMembers).Should().Be("YYn");
        Row(Permission.ChangeMemberRoles).Should().Be("Ynn");
        Row(Permission.ViewMembers).Should().Be("YYY");
        Row(Permission.LeaveOrganization).Should().Be("YYY");
        Row(Permission.UseOrganizationData).Should().Be("YYY");
        Row(Permission.EditConfiguration).Should().Be("YYn");
        Row(Permission.CreateClients).Should().Be("YYn");
        Row(Permission.ManageApiKeys).Should().Be("YYn");
        Row(Permission.ViewAuditLog).Should().Be("YYn");
        Row(Permission.ViewBilling).Should().Be("YYn");
        Row(Permission.ManageBilling).Should().Be("Ynn");
        Row(Permission.ManageClients).Should().Be("YYn");
        Row(Permission.ViewSecurity).Should().Be("YYn");
        Row(Permission.ManageSecurity).Should().Be("YYn");
        Row(Permission.ManageSingleSignOn).Should().Be("Ynn");
        Row(Permission.ManageAuditRetention).Should().Be("Ynn");
        Row(Permission.ManageDepartments).Should().Be("YYn");
        Row(Permission.ManageTeams).Should().Be("YYn");
        Row(Permission.NameTeamLeaders).Should().Be("YYn");
        Row(Permission.ManageTeamMembers).Should().Be("YYn");
        Row(Permission.ManageDirectorySync).Should().Be("Ynn");
    }

    private static OrganizationRole Parse(string role) => role switch
    {
        "OWNER" => OrganizationRole.Owner,
        "ADMIN" => OrganizationRole.Admin,
        _ => OrganizationRole.Member,
    };
}

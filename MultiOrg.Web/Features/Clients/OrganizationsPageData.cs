using MultiOrg.Domain.Clients;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Web.Features.Clients;

/// <summary>What the organizations page reads: this organization's details and its client organizations.</summary>
public sealed class OrganizationsPageData(OrganizationService organizations, ClientOnboardingService onboarding, TenantContext tenant)
{
    /// <summary>What the caller may do with the role the details just read, within this tab's session (an impersonation's limits).</summary>
    public Abilities AbilitiesOf(OrganizationRole role) => Access.AbilitiesOf(tenant, role);

    public Task<OrganizationDetails> GetCurrentAsync(CancellationToken ct = default) => organizations.GetCurrentAsync(ct);

    public Task<IReadOnlyList<ClientView>> ListClientsAsync(string? search = null, CancellationToken ct = default) =>
        onboarding.ListClientsAsync(search, ct);
}

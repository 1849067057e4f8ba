using MultiOrg.Domain.Clients;
using MultiOrg.Domain.Organizations;

namespace MultiOrg.Web.Features.Clients;

/// <summary>What the organizations page reads: this organization's details and its client organizations.</summary>
public sealed class OrganizationsPageData(OrganizationService organizations, ClientOnboardingService onboarding)
{
    public Task<OrganizationDetails> GetCurrentAsync(CancellationToken ct = default) => organizations.GetCurrentAsync(ct);

    public Task<IReadOnlyList<ClientView>> ListClientsAsync(string? search = null, CancellationToken ct = default) =>
        onboarding.ListClientsAsync(search, ct);
}

using MultiOrg.Domain.Users;

namespace MultiOrg.Domain.Organizations;

/// <summary>
/// An organization as one user sees it in lists and the switcher. <see cref="PartnerId"/> is set for a client
/// organization; <see cref="ViaPartner"/> when the user reaches it as partner staff rather than as its own member.
/// </summary>
public sealed record OrganizationSummary(
    Guid Id, string Name, OrganizationRole Role, OrganizationKind Kind = OrganizationKind.Standard, Guid? PartnerId = null, bool ViaPartner = false)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsPartner => Kind == OrganizationKind.Partner;
}

public sealed record OrganizationDetails(
    Guid Id,
    string Name,
    OrganizationRole Role,
    int MemberCount,
    int OwnerCount,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    OrganizationKind Kind = OrganizationKind.Standard,
    Guid? PartnerId = null,
    string? PartnerName = null,
    int ClientCount = 0,
    string? CountryCode = null);

public sealed record UserView(string Id, string Email, string Name, GlobalRole Role);

/// <summary>Who the user is, where they belong, and where a new tab should start.</summary>
public sealed record UserContext(UserView User, IReadOnlyList<OrganizationSummary> Organizations, OrganizationSummary? CurrentOrganization);

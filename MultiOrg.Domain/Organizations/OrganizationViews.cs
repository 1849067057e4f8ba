using MultiOrg.Domain.Users;

namespace MultiOrg.Domain.Organizations;

/// <summary>An organization as one user sees it in lists and the switcher.</summary>
public sealed record OrganizationSummary(Guid Id, string Name, OrganizationRole Role);

public sealed record OrganizationDetails(
    Guid Id, string Name, OrganizationRole Role, int MemberCount, int OwnerCount, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record UserView(string Id, string Email, string Name, GlobalRole Role);

/// <summary>Who the user is, where they belong, and where a new tab should start.</summary>
public sealed record UserContext(UserView User, IReadOnlyList<OrganizationSummary> Organizations, OrganizationSummary? CurrentOrganization);

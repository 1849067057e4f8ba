using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Organizations;

/// <summary>A tenant: everything tenant-owned hangs off one of these.</summary>
public sealed class Organization : ITimestamped
{
    public const int NameMaxLength = 200;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string Name { get; set; }

    public OrganizationKind Kind { get; set; } = OrganizationKind.Standard;

    /// <summary>The partner that runs this client organization; null for a standalone organization.</summary>
    public Guid? PartnerOrganizationId { get; set; }

    /// <summary>ISO 3166-1 alpha-2 country code, when known (drives the tax templates).</summary>
    public string? CountryCode { get; set; }

    /// <summary>How people who ask to join by themselves are taken (docs/decisions/0008).</summary>
    public Joining.MembershipMode MembershipMode { get; set; } = Joining.MembershipMode.InviteOnly;

    /// <summary>Who may find the organization: only Public ones are listed in the directory.</summary>
    public OrganizationVisibility Visibility { get; set; } = OrganizationVisibility.Private;

    public const int DescriptionMaxLength = 2000;
    public const int ContactFieldMaxLength = 200;
    public const int AddressMaxLength = 500;

    public string? Description { get; set; }

    public OrganizationType? Type { get; set; }

    public string? Website { get; set; }

    public string? ContactName { get; set; }

    public string? ContactEmail { get; set; }

    public string? ContactPhone { get; set; }

    public string? ContactAddress { get; set; }

    public string? BillingContactName { get; set; }

    public string? BillingContactEmail { get; set; }

    public string? BillingContactPhone { get; set; }

    public string? BillingContactAddress { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public List<OrganizationMember> Members { get; } = [];
}

using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Organizations;

/// <summary>A tenant: everything tenant-owned hangs off one of these.</summary>
public sealed class Organization : ITimestamped
{
    public const int NameMaxLength = 200;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string Name { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public List<OrganizationMember> Members { get; } = [];
}

using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Joining;

/// <summary>An email domain an organization proved it owns: people with a confirmed address there may join by themselves.</summary>
public sealed class VerifiedDomain : ITenantOwned, ITimestamped
{
    public const int DomainMaxLength = 253;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    /// <summary>Lower-case, without a leading "@" (for example "acme.example").</summary>
    public required string Domain { get; set; }

    public required string VerifiedByUserId { get; set; }

    /// <summary>How it was proved: "admin-email" (the adding owner or admin has a confirmed address there) or "system-admin".</summary>
    public required string Method { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.ApiKeys;

/// <summary>
/// Programmatic access to one organization. Only <see cref="Prefix"/> (public, for lookup and recognition) and a
/// SHA-256 hash of the whole key are stored; the key itself is shown once, at creation.
/// </summary>
public sealed class ApiKey : ITenantOwned
{
    public const int NameMaxLength = 100;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public required string Name { get; set; }

    public required string Prefix { get; set; }

    public required byte[] SecretHash { get; set; }

    public OrganizationRole Role { get; set; } = OrganizationRole.Member;

    public required string CreatedByUserId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? ExpiresAt { get; set; }

    public DateTime? LastUsedAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}

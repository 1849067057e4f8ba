using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Joining;

/// <summary>
/// An email domain an organization claims. Two proofs, two meanings (docs/decisions/0014): <see cref="Method"/> (an owner's
/// confirmed address there, or a system administrator) lets people with a confirmed address there join by themselves;
/// a DNS TXT record carrying <see cref="DnsToken"/> proves the organization controls the domain, which single sign-on
/// and "SSO required" need. At most one organization holds the DNS proof of a domain.
/// </summary>
public sealed class VerifiedDomain : ITenantOwned, ITimestamped
{
    public const int DomainMaxLength = 253;

    public const int DnsTokenMaxLength = 64;

    /// <summary>The TXT record's prefix; the token follows it.</summary>
    public const string DnsRecordPrefix = "multiorg-verification=";

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    /// <summary>Lower-case, without a leading "@" (for example "acme.example").</summary>
    public required string Domain { get; set; }

    public required string VerifiedByUserId { get; set; }

    /// <summary>How it was proved: "admin-email" (the adding owner or admin has a confirmed address there) or "system-admin".</summary>
    public required string Method { get; set; }

    /// <summary>What the domain's TXT record must carry after <c>multiorg-verification=</c>; random, one per claim.</summary>
    public string? DnsToken { get; set; }

    /// <summary>
    /// The domain again while its DNS record is proved, else null: a unique column, so the database itself keeps a DNS
    /// proof to one organization.
    /// </summary>
    public string? DnsVerifiedDomain { get; set; }

    public DateTime? DnsVerifiedAt { get; set; }

    public bool IsDnsVerified => DnsVerifiedDomain is not null;

    /// <summary>The TXT record to publish at the domain, or null for a claim made before DNS proofs (it gets one at its first check).</summary>
    public string? DnsRecord => DnsToken is null ? null : DnsRecordPrefix + DnsToken;

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

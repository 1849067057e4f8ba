using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Scim;

/// <summary>
/// An organization's directory-sync credential: only <see cref="Prefix"/> and a SHA-256 hash of the whole token are
/// stored (as for API keys, docs/decisions/0005); it reaches <c>/scim/v2/{its organization}</c> and nothing else.
/// </summary>
public sealed class ScimToken : ITenantOwned
{
    public const int NameMaxLength = 100;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public required string Name { get; set; }

    public required string Prefix { get; set; }

    public required byte[] SecretHash { get; set; }

    /// <summary>The owner who made it: the token acts for them, never above their role of the moment, and stops when they leave.</summary>
    public required string CreatedByUserId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? LastUsedAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}

/// <summary>
/// A person as the organization's identity provider knows them (a SCIM User): the provider's names for them, kept
/// apart from the account, which the person owns and may share with other organizations. Deactivated, the row stays
/// (the provider may reactivate them) while the membership is gone.
/// </summary>
public sealed class ScimUser : ITenantOwned, ITimestamped
{
    public const int TextMaxLength = 256;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public required string UserId { get; set; }

    public required string UserName { get; set; }

    /// <summary>Upper-case invariant: SCIM compares userName without case (RFC 7643 §4.1.1).</summary>
    public required string NormalizedUserName { get; set; }

    public string? ExternalId { get; set; }

    public string? GivenName { get; set; }

    public string? FamilyName { get; set; }

    public string? DisplayName { get; set; }

    public bool Active { get; set; } = true;

    /// <summary>The account was made by this provisioning: only then does a name change reach the account's display name.</summary>
    public bool CreatedAccount { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>A team the identity provider pushes as a SCIM Group: its id is the team's; this row keeps the provider's externalId.</summary>
public sealed class ScimGroup : ITenantOwned, ITimestamped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public Guid TeamId { get; set; }

    public string? ExternalId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Invitations;

public enum InvitationStatus
{
    Pending,
    Accepted,
    Declined,
    Revoked,
}

/// <summary>
/// An offer to join one organization with a role, sent to an email address. Only a SHA-256 hash of the link's token
/// is stored; the token itself lives in the email alone.
/// </summary>
public sealed class Invitation : ITenantOwned, ITimestamped
{
    public const int EmailMaxLength = 256;
    public const int NameMaxLength = 100;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public required string Email { get; set; }

    /// <summary>The email as Identity normalizes it: what the invitee's confirmed address must equal.</summary>
    public required string NormalizedEmail { get; set; }

    /// <summary>The invitee's name when the inviter gave one (CSV import); the registration form starts with it.</summary>
    public string? Name { get; set; }

    public OrganizationRole Role { get; set; } = OrganizationRole.Member;

    public required byte[] TokenHash { get; set; }

    public DateTime ExpiresAt { get; set; }

    public InvitationStatus Status { get; set; } = InvitationStatus.Pending;

    public required string InvitedByUserId { get; set; }

    public DateTime SentAt { get; set; }

    public int SendCount { get; set; } = 1;

    public DateTime? RespondedAt { get; set; }

    public string? RespondedByUserId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public bool IsOpen(DateTime now) => Status == InvitationStatus.Pending && ExpiresAt > now;
}

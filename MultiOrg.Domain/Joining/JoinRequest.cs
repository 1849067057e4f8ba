using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Joining;

public enum JoinRequestStatus
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>A person at a verified domain asks to join an organization whose mode is <see cref="MembershipMode.ApprovalRequired"/>.</summary>
public sealed class JoinRequest : ITenantOwned, ITimestamped
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public required string UserId { get; set; }

    /// <summary>The confirmed address that qualified the person, as it was when the request was filed.</summary>
    public required string Email { get; set; }

    public JoinRequestStatus Status { get; set; } = JoinRequestStatus.Pending;

    public string? DecidedByUserId { get; set; }

    public DateTime? DecidedAt { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

namespace MultiOrg.Domain.Support;

/// <summary>
/// A support user working inside one organization for a stated reason until a fixed time. Kept in the database (not
/// only in a circuit) so every tab and every server sees the same session, and so it ends even if the tab is closed.
/// </summary>
public sealed class ImpersonationSession
{
    public const int ReasonMinLength = 10;
    public const int ReasonMaxLength = 500;
    public const int DefaultMinutes = 30;
    public const int MaxMinutes = 240;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string SupportUserId { get; set; }

    public Guid OrganizationId { get; set; }

    public required string Reason { get; set; }

    /// <summary>Only a system administrator may change data while impersonating, and must say why separately.</summary>
    public bool WriteEnabled { get; set; }

    public string? WriteReason { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? EndedAt { get; set; }

    /// <summary>"support user" or "time limit".</summary>
    public string? EndedBy { get; set; }

    public bool IsActiveAt(DateTime now) => EndedAt is null && now < ExpiresAt;
}

/// <summary>What a circuit knows of the impersonation it is in; read by the permission check and the DbContext.</summary>
public sealed record ImpersonationGrant(Guid SessionId, Guid OrganizationId, string OrganizationName, string Reason, DateTime ExpiresAt, bool WriteEnabled)
{
    public bool IsActiveAt(DateTime now) => now < ExpiresAt;
}

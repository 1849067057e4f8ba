using MultiOrg.Domain.Organizations;

namespace MultiOrg.Domain.Invitations;

/// <summary>A pending invitation as owners and admins see it (never its token).</summary>
public sealed record InvitationView(
    Guid Id, string Email, string? Name, OrganizationRole Role, string InvitedBy, DateTime SentAt, int SendCount, DateTime ExpiresAt)
{
    public bool IsExpired(DateTime now) => ExpiresAt <= now;
}

/// <summary>An invitation as its invitee sees it: where to, which role, from whom, and whether it can still be used.</summary>
public sealed record InvitationPreview(
    Guid Id, Guid OrganizationId, string OrganizationName, string Email, string? Name, OrganizationRole Role, string InvitedBy,
    DateTime ExpiresAt, InvitationStatus Status, bool IsOpen);

/// <summary>One line to invite: from the invite form or a CSV row. Role is text so an unknown role can be reported.</summary>
public sealed record InviteRow(int Line, string? Email, string? Role = null, string? Name = null);

public enum InviteOutcome
{
    Invite,
    AlreadyMember,
    AlreadyInvited,
    InvalidEmail,
    UnknownRole,
    RoleNotAllowed,
    InvalidName,
    DuplicateInFile,
    SeatLimit,
}

/// <summary>What happens (preview) or happened (apply) to one row.</summary>
public sealed record InviteRowResult(int Line, string Email, string? Name, OrganizationRole? Role, InviteOutcome Outcome, string Message)
{
    public bool Invites => Outcome == InviteOutcome.Invite;
}

/// <summary>The rows of one invite or import, in input order, and how many were invited.</summary>
public sealed record InviteResult(IReadOnlyList<InviteRowResult> Rows, bool Applied)
{
    public int Invited => Rows.Count(r => r.Invites);

    public int Skipped => Rows.Count - Invited;
}

/// <summary>What the invitation email carries; the sender turns the token into a link.</summary>
/// <remarks>SubjectTemplate and BodyTemplate are the organization's own invitation template, when it has one.</remarks>
public sealed record InvitationLetter(
    string Email, string? Name, string OrganizationName, string InvitedBy, OrganizationRole Role, string Token, DateTime ExpiresAt,
    string? SubjectTemplate = null, string? BodyTemplate = null);

/// <summary>Delivers invitation emails (SMTP or the pickup folder, chosen by configuration); a batch shares one connection.</summary>
public interface IInvitationSender
{
    Task SendAsync(IReadOnlyList<InvitationLetter> letters, CancellationToken ct = default);
}

public sealed class InvitationOptions
{
    public const string Section = "Invitations";

    /// <summary>How long an invitation link works after it was (re)sent: at most a quarter, a link is not a standing credential.</summary>
    [System.ComponentModel.Description("days an invitation link works after it was (re)sent")]
    [System.ComponentModel.DataAnnotations.Range(1, 90)]
    public int ExpiryDays { get; set; } = 7;

    /// <summary>The most rows one import or invite may hold.</summary>
    [System.ComponentModel.Description("the most rows one import (or one invite) may hold")]
    [System.ComponentModel.DataAnnotations.Range(1, 100_000)]
    public int MaxRows { get; set; } = 20_000;
}

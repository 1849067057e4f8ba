using MultiOrg.Domain.Organizations;

namespace MultiOrg.Domain.Invitations;

/// <summary>A pending invitation as owners and admins see it (never its token).</summary>
public sealed record InvitationView(
    Guid Id, string Email, string? Name, OrganizationRole Role, string InvitedBy, DateTime SentAt, int SendCount, DateTime ExpiresAt)
{
    public bool IsExpired(DateTime now) => ExpiresAt <= now;

    /// <summary>After a resend: the new link is saved but its mail waits in the outbox for a retry.</summary>
    public bool MailQueued { get; init; }
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
    /// <summary>The invitations are saved but their mails could not go out yet: they wait in the outbox, which retries them.</summary>
    public bool MailQueued { get; init; }

    public int Invited => Rows.Count(r => r.Invites);

    public int Skipped => Rows.Count - Invited;
}

/// <summary>What the invitation email carries; the sender turns the token into a link.</summary>
/// <remarks>SubjectTemplate and BodyTemplate are the organization's own invitation template, when it has one.</remarks>
public sealed record InvitationLetter(
    string Email, string? Name, string OrganizationName, string InvitedBy, OrganizationRole Role, string Token, DateTime ExpiresAt,
    string? SubjectTemplate = null, string? BodyTemplate = null, Guid? OrganizationId = null);

/// <summary>Invitation emails: written to the outbox of <paramref name="db"/>'s unit, sent once it commits.</summary>
public interface IInvitationSender
{
    Mail.QueuedMail Enqueue(IMultiOrgDb db, IReadOnlyList<InvitationLetter> letters);
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

namespace MultiOrg.Domain.Audit;

/// <summary>Someone a notice goes to.</summary>
public sealed record NoticeRecipient(string Email, string? Name);

/// <summary>What the mail to every owner says when retention is to be shortened: who, from and to what, and from when.</summary>
public sealed record RetentionShorteningLetter(
    IReadOnlyList<NoticeRecipient> Owners, Guid OrganizationId, string OrganizationName, string ChangedBy, int? FromDays, int ToDays, DateTime EffectiveAt);

/// <summary>Mails about an organization's audit log, written to the outbox of the change's unit.</summary>
public interface IAuditNotices
{
    Mail.QueuedMail EnqueueRetentionShortening(IMultiOrgDb db, RetentionShorteningLetter letter);
}

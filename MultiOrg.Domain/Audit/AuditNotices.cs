namespace MultiOrg.Domain.Audit;

/// <summary>Someone a notice goes to.</summary>
public sealed record NoticeRecipient(string Email, string? Name);

/// <summary>What the mail to every owner says when retention is to be shortened: who, from and to what, and from when.</summary>
public sealed record RetentionShorteningLetter(
    IReadOnlyList<NoticeRecipient> Owners, Guid OrganizationId, string OrganizationName, string ChangedBy, int? FromDays, int ToDays, DateTime EffectiveAt);

/// <summary>Mails about an organization's audit log (SMTP or the pickup folder, chosen by configuration).</summary>
public interface IAuditNotices
{
    /// <summary>False when the mail could not be sent (the sender logged why); the change stands.</summary>
    Task<bool> SendRetentionShorteningAsync(RetentionShorteningLetter letter, CancellationToken ct = default);
}

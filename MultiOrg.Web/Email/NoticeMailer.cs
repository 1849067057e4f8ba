using System.Globalization;
using System.Text.Encodings.Web;
using MultiOrg.Domain;
using MultiOrg.Domain.Audit;
using MultiOrg.Domain.Mail;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;

namespace MultiOrg.Web.Email;

/// <summary>
/// Mails that tell people what others did or what happened that concerns them: added to an organization, retention
/// shortened, and the owners' security notices (a DNS proof lapsed, a break-glass sign-in).
/// </summary>
/// <remarks>
/// Written to the outbox in the change's own save and sent once it commits; one that cannot be sent then is retried by
/// the outbox and the caller says "saved, the mail is queued", never a 500 for a change that stands.
/// </remarks>
public sealed class NoticeMailer(MailSender mail, AppLinks links, MailOutbox outbox) : IMemberNotices, IAuditNotices, IOwnerNotices
{
    public QueuedMail EnqueueAdded(IMultiOrgDb db, AddedToOrganizationLetter letter)
    {
        var (by, organization) = (MailText.OneLine(letter.AddedBy), MailText.OneLine(letter.OrganizationName));
        var name = letter.Name is null ? null : MailText.OneLine(letter.Name);
        var leave = links.To($"organizations/{letter.OrganizationId}/members");
        var subject = $"{by} added you to {organization} on MultiOrg";
        var text = $"""
            Hello{(name is null ? "" : " " + name)},

            {by} added you to {organization} on MultiOrg as {letter.Role.ToApiName()}. You can now switch to it after signing in.

            If you do not want to belong to {organization}, open its members page and choose Leave:
            {leave}
            """;
        var h = HtmlEncoder.Default;
        var html = $"""
            <p>Hello{(name is null ? "" : " " + h.Encode(name))},</p>
            <p>{h.Encode(by)} added you to <strong>{h.Encode(organization)}</strong> on MultiOrg as {letter.Role.ToApiName()}. You can now switch to it after signing in.</p>
            <p>If you do not want to belong to {h.Encode(organization)}, open <a href="{h.Encode(leave)}">its members page</a> and choose Leave.</p>
            """;
        return outbox.Add(db, "added-to-organization", letter.OrganizationId, [mail.Compose(letter.Email, name, subject, text, html)]);
    }

    public QueuedMail EnqueueRetentionShortening(IMultiOrgDb db, RetentionShorteningLetter letter)
    {
        var (by, organization) = (MailText.OneLine(letter.ChangedBy), MailText.OneLine(letter.OrganizationName));
        var settings = links.To($"organizations/{letter.OrganizationId}/settings/security");
        var when = letter.EffectiveAt.ToString("d MMMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var from = letter.FromDays is { } days ? $"{days} days" : "forever";
        var subject = $"{organization}: the audit log will be kept for {letter.ToDays} days from {when}";
        var h = HtmlEncoder.Default;
        return outbox.Add(db, "retention-shortening", letter.OrganizationId, letter.Owners.Select(owner =>
        {
            var name = owner.Name is null ? null : MailText.OneLine(owner.Name);
            var text = $"""
                Hello{(name is null ? "" : " " + name)},

                {by} shortened how long {organization} keeps its audit log: from {from} to {letter.ToDays} days.
                The change takes effect on {when}; entries older than that are then removed.

                Any owner can cancel it until then in the security settings:
                {settings}
                """;
            var html = $"""
                <p>Hello{(name is null ? "" : " " + h.Encode(name))},</p>
                <p>{h.Encode(by)} shortened how long <strong>{h.Encode(organization)}</strong> keeps its audit log: from {from} to {letter.ToDays} days.
                The change takes effect on {when}; entries older than that are then removed.</p>
                <p>Any owner can cancel it until then in <a href="{h.Encode(settings)}">the security settings</a>.</p>
                """;
            return mail.Compose(owner.Email, name, subject, text, html);
        }));
    }

    /// <summary>Plain text, and the same text encoded as HTML paragraphs.</summary>
    public QueuedMail Enqueue(IMultiOrgDb db, Guid organizationId, IReadOnlyList<OwnerNotice> notices) =>
        notices.Count == 0 ? QueuedMail.None : outbox.Add(db, "owner-notice", organizationId, notices.Select(ComposeOwnerNotice));

    private MimeKit.MimeMessage ComposeOwnerNotice(OwnerNotice notice)
    {
        var html = string.Concat(notice.Text.Split("\n\n").Select(p => $"<p>{HtmlEncoder.Default.Encode(p.Trim())}</p>"));
        return mail.Compose(notice.Email, notice.Name?.ReplaceLineEndings(" "), notice.Subject.ReplaceLineEndings(" "), notice.Text, html);
    }
}

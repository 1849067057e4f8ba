using System.Text.Encodings.Web;
using MultiOrg.Domain.Organizations;

namespace MultiOrg.Web.Email;

/// <summary>Mails security notices to owners: plain text, and the same text encoded as HTML paragraphs.</summary>
public sealed class OwnerNoticeMailer(MailSender mail) : IOwnerNotices
{
    public Task SendAsync(IReadOnlyList<OwnerNotice> notices, CancellationToken ct = default) =>
        notices.Count == 0 ? Task.CompletedTask : mail.SendAsync(notices.Select(Compose), ct);

    private MimeKit.MimeMessage Compose(OwnerNotice notice)
    {
        var html = string.Concat(notice.Text.Split("\n\n").Select(p => $"<p>{HtmlEncoder.Default.Encode(p.Trim())}</p>"));
        var subject = notice.Subject.ReplaceLineEndings(" ");
        return mail.Compose(notice.Email, notice.Name?.ReplaceLineEndings(" "), subject, notice.Text, html);
    }
}

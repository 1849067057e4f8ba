using System.Text.Encodings.Web;
using MultiOrg.Domain.Organizations;

namespace MultiOrg.Web.Email;

/// <summary>
/// Mails security notices to owners: plain text, and the same text encoded as HTML paragraphs. A notice that cannot be
/// sent is logged, never thrown: it must not block or undo what it reports (a break-glass sign-in while the provider is
/// down, a lapse), and the audit log records that change anyway.
/// </summary>
public sealed partial class OwnerNoticeMailer(MailSender mail, ILogger<OwnerNoticeMailer> logger) : IOwnerNotices
{
    public async Task SendAsync(IReadOnlyList<OwnerNotice> notices, CancellationToken ct = default)
    {
        if (notices.Count == 0)
        {
            return;
        }

        try
        {
            await mail.SendAsync(notices.Select(Compose), ct);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogNotSent(error, notices.Count, notices[0].Subject);
        }
    }

    private MimeKit.MimeMessage Compose(OwnerNotice notice)
    {
        var html = string.Concat(notice.Text.Split("\n\n").Select(p => $"<p>{HtmlEncoder.Default.Encode(p.Trim())}</p>"));
        var subject = notice.Subject.ReplaceLineEndings(" ");
        return mail.Compose(notice.Email, notice.Name?.ReplaceLineEndings(" "), subject, notice.Text, html);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not mail {Count} owner notice(s) \"{Subject}\"; the change itself is in the audit log")]
    private partial void LogNotSent(Exception error, int count, string subject);
}

using System.Globalization;
using System.Text.Encodings.Web;
using MultiOrg.Domain.Audit;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;

namespace MultiOrg.Web.Email;

/// <summary>
/// Mails that tell people what others did or what happened that concerns them: added to an organization, retention
/// shortened, and the owners' security notices (a DNS proof lapsed, a break-glass sign-in).
/// </summary>
/// <remarks>
/// Sent after the change is committed: an added-by-email or retention mail that fails is logged (warning) and reported
/// to the caller as "saved, the mail could not be sent", never a 500 for a change that stands. A durable outbox that
/// retries is issue #26.
/// </remarks>
public sealed partial class NoticeMailer(MailSender mail, AppLinks links, ILogger<NoticeMailer> logger) : IMemberNotices, IAuditNotices, IOwnerNotices
{
    public Task<bool> SendAddedAsync(AddedToOrganizationLetter letter, CancellationToken ct = default)
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
        return TrySendAsync("added-to-organization", [mail.Compose(letter.Email, name, subject, text, html)], ct);
    }

    public Task<bool> SendRetentionShorteningAsync(RetentionShorteningLetter letter, CancellationToken ct = default)
    {
        var (by, organization) = (MailText.OneLine(letter.ChangedBy), MailText.OneLine(letter.OrganizationName));
        var settings = links.To($"organizations/{letter.OrganizationId}/settings/security");
        var when = letter.EffectiveAt.ToString("d MMMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var from = letter.FromDays is { } days ? $"{days} days" : "forever";
        var subject = $"{organization}: the audit log will be kept for {letter.ToDays} days from {when}";
        var h = HtmlEncoder.Default;
        return TrySendAsync("retention-shortening", letter.Owners.Select(owner =>
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
        }), ct);
    }

    /// <summary>
    /// Plain text, and the same text encoded as HTML paragraphs. A notice that cannot be sent is logged, never thrown: it
    /// must not block or undo what it reports (a break-glass sign-in while the provider is down, a lapse), and the audit
    /// log records that change anyway.
    /// </summary>
    public async Task SendAsync(IReadOnlyList<OwnerNotice> notices, CancellationToken ct = default)
    {
        if (notices.Count == 0)
        {
            return;
        }

        try
        {
            await mail.SendAsync(notices.Select(ComposeOwnerNotice), ct);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogOwnerNoticeNotSent(error, notices.Count, notices[0].Subject);
        }
    }

    private MimeKit.MimeMessage ComposeOwnerNotice(OwnerNotice notice)
    {
        var html = string.Concat(notice.Text.Split("\n\n").Select(p => $"<p>{HtmlEncoder.Default.Encode(p.Trim())}</p>"));
        return mail.Compose(notice.Email, notice.Name?.ReplaceLineEndings(" "), notice.Subject.ReplaceLineEndings(" "), notice.Text, html);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not mail {Count} owner notice(s) \"{Subject}\"; the change itself is in the audit log")]
    private partial void LogOwnerNoticeNotSent(Exception error, int count, string subject);

    private async Task<bool> TrySendAsync(string kind, IEnumerable<MimeKit.MimeMessage> messages, CancellationToken ct)
    {
        try
        {
            await mail.SendAsync(messages, ct);
            return true;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The type and the server's answer only: no address, link or credential.
            LogNotSent(kind, error.GetType().Name, error.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Kind} notice mail could not be sent ({Error}: {Reason}); the change it announces is saved.")]
    private partial void LogNotSent(string kind, string error, string reason);
}

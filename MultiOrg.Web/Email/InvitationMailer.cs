using System.Text.Encodings.Web;
using MultiOrg.Domain.Invitations;
using MultiOrg.Domain.Organizations;

namespace MultiOrg.Web.Email;

/// <summary>Writes the invitation email with its single-use link.</summary>
public sealed class InvitationMailer(MailSender mail, AppLinks links) : IInvitationSender
{
    public Task SendAsync(IReadOnlyList<InvitationLetter> letters, CancellationToken ct = default) =>
        mail.SendAsync(letters.Select(Compose), ct);

    private MimeKit.MimeMessage Compose(InvitationLetter letter)
    {
        var link = links.Invitation(letter.Token);
        var expires = letter.ExpiresAt.ToString("d MMMM yyyy HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        var subject = $"{letter.InvitedBy} invited you to {letter.OrganizationName} on MultiOrg";
        var text = $"""
            Hello{(letter.Name is null ? "" : " " + letter.Name)},

            {letter.InvitedBy} invited you to join {letter.OrganizationName} on MultiOrg as {letter.Role.ToApiName()}.

            Accept the invitation (or create your account) here:
            {link}

            The link works once and expires on {expires}. If you did not expect this email, you can ignore it.
            """;
        var h = HtmlEncoder.Default;
        var html = $"""
            <p>Hello{(letter.Name is null ? "" : " " + h.Encode(letter.Name))},</p>
            <p>{h.Encode(letter.InvitedBy)} invited you to join <strong>{h.Encode(letter.OrganizationName)}</strong> on MultiOrg as {letter.Role.ToApiName()}.</p>
            <p><a href="{h.Encode(link)}">Accept the invitation</a></p>
            <p>The link works once and expires on {expires}. If you did not expect this email, you can ignore it.</p>
            """;
        return mail.Compose(letter.Email, letter.Name, subject, text, html);
    }
}

using System.Text.Encodings.Web;
using MultiOrg.Domain.Branding;
using MultiOrg.Domain.Invitations;
using MultiOrg.Domain.Organizations;
using MultiOrg.Web.Email;

namespace MultiOrg.Web.Features.Invitations;

/// <summary>Writes the invitation email with its single-use link.</summary>
public sealed class InvitationMailer(MailSender mail, AppLinks links, MailOutbox outbox) : IInvitationSender
{
    public MultiOrg.Domain.Mail.QueuedMail Enqueue(MultiOrg.Domain.IMultiOrgDb db, IReadOnlyList<InvitationLetter> letters) =>
        letters.Count == 0 ? MultiOrg.Domain.Mail.QueuedMail.None : outbox.Add(db, "invitation", letters[0].OrganizationId, letters.Select(Compose));

    /// <summary>The message as it goes out (the outbox stores it encrypted until then).</summary>
    public MimeKit.MimeMessage Compose(InvitationLetter letter) => ComposeLetter(letter);

    private MimeKit.MimeMessage ComposeLetter(InvitationLetter letter)
    {
        // Names come from people (a CSV, a profile, an identity provider) and may predate the name rule: in a plain-text
        // body a line break in one would start a line of the sender's choosing ("Bcc: …", a fake link), so each is one line.
        letter = letter with
        {
            Name = letter.Name is null ? null : OneLine(letter.Name),
            InvitedBy = OneLine(letter.InvitedBy),
            OrganizationName = OneLine(letter.OrganizationName),
        };
        var link = links.Invitation(letter.Token);
        var expires = letter.ExpiresAt.ToString("d MMMM yyyy HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        if (letter.SubjectTemplate is { } subjectTemplate && letter.BodyTemplate is { } bodyTemplate)
        {
            return ComposeFromTemplate(letter, subjectTemplate, bodyTemplate, link, expires);
        }

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

    private static string OneLine(string value) => MailText.OneLine(value);

    /// <summary>The organization's own template: plain text as written, and the same text HTML-encoded for the HTML part.</summary>
    private MimeKit.MimeMessage ComposeFromTemplate(InvitationLetter letter, string subjectTemplate, string bodyTemplate, string link, string expires)
    {
        var values = new Dictionary<string, string>
        {
            ["name"] = letter.Name ?? "",
            ["inviter"] = letter.InvitedBy,
            ["organization"] = letter.OrganizationName,
            ["role"] = letter.Role.ToApiName(),
            ["link"] = link,
            ["expires"] = expires,
        };
        var subject = InvitationTemplate.Render(subjectTemplate, values).ReplaceLineEndings(" ");
        var text = InvitationTemplate.Render(bodyTemplate, values);
        var h = HtmlEncoder.Default;
        var html = string.Join("", text.ReplaceLineEndings("\n").Split("\n\n").Select(p =>
            $"<p>{string.Join("<br>", p.Split('\n').Select(line => line == link ? $"<a href=\"{h.Encode(link)}\">{h.Encode(link)}</a>" : h.Encode(line)))}</p>"));
        return mail.Compose(letter.Email, letter.Name, subject, text, html);
    }
}

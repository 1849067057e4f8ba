using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity;
using MultiOrg.Domain.Users;
using MultiOrg.Web.Email;

namespace MultiOrg.Web.Components.Account;

/// <summary>Identity's confirmation and password-reset emails, through the same sender as invitations (SMTP or pickup folder).</summary>
internal sealed class IdentityEmailSender(MailSender mail) : IEmailSender<AppUser>
{
    public Task SendConfirmationLinkAsync(AppUser user, string email, string confirmationLink) =>
        SendAsync(user, email, "Confirm your email", "Please confirm your account by opening this link:", confirmationLink);

    public Task SendPasswordResetLinkAsync(AppUser user, string email, string resetLink) =>
        SendAsync(user, email, "Reset your password", "Reset your password by opening this link:", resetLink);

    public Task SendPasswordResetCodeAsync(AppUser user, string email, string resetCode) =>
        mail.SendAsync(mail.Compose(email, user.DisplayName, "Reset your password",
            $"Reset your password using this code: {resetCode}",
            $"<p>Reset your password using this code: <strong>{HtmlEncoder.Default.Encode(resetCode)}</strong></p>"));

    // Identity hands over links already HTML-encoded (the template's format); the text part gets them decoded.
    private Task SendAsync(AppUser user, string email, string subject, string intro, string encodedLink) =>
        mail.SendAsync(mail.Compose(email, user.DisplayName, subject,
            $"{intro}\n{System.Net.WebUtility.HtmlDecode(encodedLink)}",
            $"<p>{intro}</p><p><a href=\"{encodedLink}\">{encodedLink}</a></p>"));
}

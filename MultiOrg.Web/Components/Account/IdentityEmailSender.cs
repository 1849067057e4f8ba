using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity;
using MultiOrg.Domain.Users;
using MultiOrg.Web.Email;

namespace MultiOrg.Web.Components.Account;

/// <summary>Identity's confirmation and password-reset emails, through the same sender as invitations (SMTP or pickup folder).</summary>
internal sealed class IdentityEmailSender(MailSender mail, AppLinks links) : IEmailSender<AppUser>
{
    public Task SendConfirmationLinkAsync(AppUser user, string email, string confirmationLink) =>
        SendAsync(user, email, "Confirm your email", "Please confirm your account by opening this link:", confirmationLink);

    public Task SendPasswordResetLinkAsync(AppUser user, string email, string resetLink) =>
        SendAsync(user, email, "Reset your password", "Reset your password by opening this link:", resetLink);

    public Task SendPasswordResetCodeAsync(AppUser user, string email, string resetCode) =>
        mail.SendAsync(mail.Compose(email, user.DisplayName, "Reset your password",
            $"Reset your password using this code: {resetCode}",
            $"<p>Reset your password using this code: <strong>{HtmlEncoder.Default.Encode(resetCode)}</strong></p>"));

    // Identity hands over links already HTML-encoded (the template's format) and built from the request's Host header,
    // which the caller chooses: each goes out on the configured public address instead.
    private Task SendAsync(AppUser user, string email, string subject, string intro, string encodedLink)
    {
        var link = links.Rebase(System.Net.WebUtility.HtmlDecode(encodedLink));
        var html = HtmlEncoder.Default.Encode(link);
        return mail.SendAsync(mail.Compose(email, user.DisplayName, subject, $"{intro}\n{link}", $"<p>{intro}</p><p><a href=\"{html}\">{html}</a></p>"));
    }
}

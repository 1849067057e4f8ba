using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity;
using MultiOrg.Data;
using MultiOrg.Domain.Users;
using MultiOrg.Web.Email;

namespace MultiOrg.Web.Components.Account;

/// <summary>
/// Identity's confirmation and password-reset emails, through the outbox like every other mail: written in a save of
/// their own once Identity has saved the account (Identity asks for the mail after its own save), and sent at once, or
/// retried by the outbox job. An SMTP server that is down never fails the registration or the reset request.
/// </summary>
/// <remarks>
/// A singleton, because Identity's API endpoints take the sender from the root provider when they are mapped: each mail
/// gets its own scope and context.
/// </remarks>
internal sealed class IdentityEmailSender(MailSender mail, AppLinks links, MailOutbox outbox, IServiceScopeFactory scopes) : IEmailSender<AppUser>
{
    public Task SendConfirmationLinkAsync(AppUser user, string email, string confirmationLink) =>
        SendAsync(user, email, "confirm-email", "Confirm your email", "Please confirm your account by opening this link:", confirmationLink);

    public Task SendPasswordResetLinkAsync(AppUser user, string email, string resetLink) =>
        SendAsync(user, email, "password-reset", "Reset your password", "Reset your password by opening this link:", resetLink);

    public Task SendPasswordResetCodeAsync(AppUser user, string email, string resetCode) =>
        QueueAsync("password-reset", mail.Compose(email, user.DisplayName, "Reset your password",
            $"Reset your password using this code: {resetCode}",
            $"<p>Reset your password using this code: <strong>{HtmlEncoder.Default.Encode(resetCode)}</strong></p>"));

    // Identity hands over links already HTML-encoded (the template's format) and built from the request's Host header,
    // which the caller chooses: each goes out on the configured public address instead.
    private Task SendAsync(AppUser user, string email, string kind, string subject, string intro, string encodedLink)
    {
        var link = links.Rebase(System.Net.WebUtility.HtmlDecode(encodedLink));
        var html = HtmlEncoder.Default.Encode(link);
        return QueueAsync(kind, mail.Compose(email, user.DisplayName, subject, $"{intro}\n{link}", $"<p>{intro}</p><p><a href=\"{html}\">{html}</a></p>"));
    }

    private async Task QueueAsync(string kind, MimeKit.MimeMessage message)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MultiOrgDbContext>();
        var queued = outbox.Add(db, kind, null, [message]);
        await db.SaveChangesAsync();
        await queued.SendNowAsync();
    }
}

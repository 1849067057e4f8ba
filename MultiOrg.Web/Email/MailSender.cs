using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MultiOrg.Web.Email;

/// <summary>Sends one message through SMTP (MailKit) when configured, else writes it as an .eml file to the pickup folder.</summary>
public sealed class MailSender(IOptions<EmailOptions> options, IHostEnvironment environment, ILogger<MailSender> logger)
{
    private readonly EmailOptions settings = options.Value;

    public string PickupDirectory => Path.GetFullPath(settings.PickupDirectory, environment.ContentRootPath);

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(settings.Smtp.Host);

    /// <summary>A message from the configured sender with a plain-text and an HTML body.</summary>
    public MimeMessage Compose(string to, string? toName, string subject, string text, string html)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(new MailboxAddress(toName ?? "", to));
        message.Subject = subject;
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        return message;
    }

    public async Task SendAsync(MimeMessage message, CancellationToken ct = default)
    {
        if (settings.Smtp.Host is { Length: > 0 } host && !string.IsNullOrWhiteSpace(host))
        {
            using var smtp = new SmtpClient();
            await smtp.ConnectAsync(host, settings.Smtp.Port, settings.Smtp.Security, ct);
            if (!string.IsNullOrEmpty(settings.Smtp.UserName))
            {
                await smtp.AuthenticateAsync(settings.Smtp.UserName, settings.Smtp.Password ?? "", ct);
            }

            await smtp.SendAsync(message, ct);
            await smtp.DisconnectAsync(quit: true, ct);
            return;
        }

        Directory.CreateDirectory(PickupDirectory);
        var path = Path.Combine(PickupDirectory, $"{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}-{Guid.NewGuid():N}.eml");
        await message.WriteToAsync(path, ct);

        // The recipient and subject only: the body carries single-use links.
        logger.LogDebug("Wrote mail '{Subject}' for {Recipients} to the pickup folder", message.Subject, message.To.ToString());
    }
}

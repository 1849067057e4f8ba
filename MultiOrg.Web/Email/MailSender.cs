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

    public Task SendAsync(MimeMessage message, CancellationToken ct = default) => SendAsync([message], ct);

    /// <summary>Many messages over one SMTP connection, or written to the pickup folder side by side.</summary>
    public async Task SendAsync(IEnumerable<MimeMessage> messages, CancellationToken ct = default)
    {
        if (settings.Smtp.Host is { Length: > 0 } host && !string.IsNullOrWhiteSpace(host))
        {
            using var smtp = new SmtpClient();
            await smtp.ConnectAsync(host, settings.Smtp.Port, settings.Smtp.Security, ct);
            if (!string.IsNullOrEmpty(settings.Smtp.UserName))
            {
                await smtp.AuthenticateAsync(settings.Smtp.UserName, settings.Smtp.Password ?? "", ct);
            }

            var sent = 0;
            foreach (var message in messages)
            {
                await smtp.SendAsync(message, ct);
                sent++;
            }

            await smtp.DisconnectAsync(quit: true, ct);
            logger.LogInformation("Sent {Count} mail(s) through {Host}", sent, host);
            return;
        }

        Directory.CreateDirectory(PickupDirectory);
        var written = 0;
        await Parallel.ForEachAsync(messages, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount }, async (message, token) =>
        {
            var path = Path.Combine(PickupDirectory, $"{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}-{Guid.NewGuid():N}.eml");
            await message.WriteToAsync(path, token);
            Interlocked.Increment(ref written);
        });

        // The count only: bodies carry single-use links.
        logger.LogInformation("Wrote {Count} mail(s) to the pickup folder {Directory}", written, PickupDirectory);
    }
}

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
        await using var session = OpenSession();
        foreach (var message in messages)
        {
            await session.SendAsync(message, ct);
        }
    }

    /// <summary>A connection opened at the first message and kept for the next; after a failure the next message reconnects.</summary>
    public MailSession OpenSession() => new(this);

    public sealed class MailSession(MailSender sender) : IAsyncDisposable
    {
        private SmtpClient? smtp;
        private int sent;

        public async Task SendAsync(MimeMessage message, CancellationToken ct)
        {
            var settings = sender.settings;
            if (!sender.UsesSmtp)
            {
                Directory.CreateDirectory(sender.PickupDirectory);
                await message.WriteToAsync(Path.Combine(sender.PickupDirectory, $"{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}-{Guid.NewGuid():N}.eml"), ct);
                sent++;
                return;
            }

            try
            {
                if (smtp is not { IsConnected: true })
                {
                    smtp?.Dispose();
                    smtp = new SmtpClient();
                    await smtp.ConnectAsync(settings.Smtp.Host!, settings.Smtp.Port, settings.Smtp.Security, ct);
                    if (!string.IsNullOrEmpty(settings.Smtp.UserName))
                    {
                        await smtp.AuthenticateAsync(settings.Smtp.UserName, settings.Smtp.Password ?? "", ct);
                    }
                }

                await smtp.SendAsync(message, ct);
                sent++;
            }
            catch
            {
                smtp?.Dispose();
                smtp = null;
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (smtp is { IsConnected: true })
            {
                try
                {
                    await smtp.DisconnectAsync(quit: true);
                }
                catch (Exception error) when (error is IOException or MailKit.ProtocolException or System.Net.Sockets.SocketException or OperationCanceledException)
                {
                    // Every message of the session is already accepted; a failed QUIT loses nothing.
                }
            }

            smtp?.Dispose();
            if (sent > 0)
            {
                // The count only: bodies carry single-use links.
                sender.LogSent(sent, sender.UsesSmtp ? sender.settings.Smtp.Host! : sender.PickupDirectory);
            }
        }
    }

    private void LogSent(int count, string where) => logger.LogInformation("Sent {Count} mail(s) through {Where}", count, where);
}

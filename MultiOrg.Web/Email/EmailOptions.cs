using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace MultiOrg.Web.Email;

/// <summary>Where outgoing mail goes: SMTP when <see cref="SmtpOptions.Host"/> is set, otherwise .eml files in the pickup folder.</summary>
public sealed class EmailOptions : IValidatableObject
{
    public const string Section = "Email";

    [Description("sender of every mail")]
    [Required]
    public string From { get; set; } = "MultiOrg <no-reply@multiorg.localhost>";

    /// <summary>Relative paths are under the content root. Default: App_Data/mail.</summary>
    [Description("without an SMTP host, every mail is written here as an `.eml` file (relative to the content root)")]
    [Required]
    public string PickupDirectory { get; set; } = Path.Combine("App_Data", "mail");

    public SmtpOptions Smtp { get; set; } = new();

    public OutboxOptions Outbox { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(From) && !MimeKit.MailboxAddress.TryParse(From, out _))
        {
            yield return new ValidationResult("must be one mail address, optionally with a name: MultiOrg <no-reply@multiorg.example>", [nameof(From)]);
        }
    }
}

public sealed class SmtpOptions
{
    [Description("send mail through this SMTP server (MailKit); unset: the pickup directory")]
    public string? Host { get; set; }

    [Description("the SMTP server's port")]
    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    [Description("SMTP user name, when the server asks for one")]
    public string? UserName { get; set; }

    [Description("SMTP password (a secret: user secrets or the environment, never appsettings)")]
    public string? Password { get; set; }

    /// <summary>MailKit's SecureSocketOptions: Auto, None, SslOnConnect, StartTls, StartTlsWhenAvailable.</summary>
    [Description("`Auto`, `None`, `SslOnConnect`, `StartTls` or `StartTlsWhenAvailable`")]
    [EnumDataType(typeof(MailKit.Security.SecureSocketOptions))]
    public MailKit.Security.SecureSocketOptions Security { get; set; } = MailKit.Security.SecureSocketOptions.Auto;
}

/// <summary>How the outbox retries a mail that could not be sent (see <see cref="MailOutbox"/>).</summary>
public sealed class OutboxOptions
{
    [Description("attempts per mail before it is given up (logged as an error, shown in the organization's audit log)")]
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;

    [Description("wait after the first failed attempt; each further failure doubles it")]
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FirstRetryAfter { get; set; } = TimeSpan.FromMinutes(1);

    [Description("the longest wait between two attempts")]
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(2);

    [Description("immediate retries within one attempt when the connection to the SMTP server fails (Polly, exponential)")]
    [Range(0, 10)]
    public int QuickRetries { get; set; } = 2;

    [Description("wait before the first immediate retry; doubled for the next")]
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan QuickRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    [Description("the longest one message may take to hand over to the SMTP server")]
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longer than one send with its retries: a claim that lapses lets another server send the mail again.</summary>
    [Description("how long a server holds the mails it is sending before another may take them over")]
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan ClaimFor { get; set; } = TimeSpan.FromMinutes(15);
}

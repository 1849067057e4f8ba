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

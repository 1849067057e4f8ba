namespace MultiOrg.Web.Email;

/// <summary>Where outgoing mail goes: SMTP when <see cref="SmtpOptions.Host"/> is set, otherwise .eml files in the pickup folder.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    public string From { get; set; } = "MultiOrg <no-reply@multiorg.localhost>";

    /// <summary>Relative paths are under the content root. Default: App_Data/mail.</summary>
    public string PickupDirectory { get; set; } = Path.Combine("App_Data", "mail");

    public SmtpOptions Smtp { get; set; } = new();
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>MailKit's SecureSocketOptions: Auto, None, SslOnConnect, StartTls, StartTlsWhenAvailable.</summary>
    public MailKit.Security.SecureSocketOptions Security { get; set; } = MailKit.Security.SecureSocketOptions.Auto;
}

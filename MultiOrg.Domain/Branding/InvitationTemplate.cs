using System.Text.RegularExpressions;
using MultiOrg.Domain.Errors;

namespace MultiOrg.Domain.Branding;

/// <summary>The invitation email's subject and body with {{placeholders}}; an organization may replace the defaults.</summary>
public static partial class InvitationTemplate
{
    public const string DefaultSubject = "{{inviter}} invited you to {{organization}} on MultiOrg";

    public const string DefaultBody = """
        Hello {{name}},

        {{inviter}} invited you to join {{organization}} on MultiOrg as {{role}}.

        Accept the invitation (or create your account) here:
        {{link}}

        The link works once and expires on {{expires}}. If you did not expect this email, you can ignore it.
        """;

    public static readonly IReadOnlyList<string> Placeholders = ["name", "inviter", "organization", "role", "link", "expires"];

    /// <summary>Refuses unknown placeholders and a body without the link, naming the field.</summary>
    public static (string Subject, string Body) Validate(string? subject, string? body)
    {
        var s = Text.UserText.Name(subject, "subject", "Subject", OrganizationBranding.SubjectMaxLength);
        var b = body?.Trim() ?? "";

        if (b.Length == 0)
        {
            throw DomainException.Invalid("body", "Body is required.");
        }

        if (b.Length > OrganizationBranding.BodyMaxLength)
        {
            throw DomainException.Invalid("body", $"Body must be at most {OrganizationBranding.BodyMaxLength} characters.");
        }

        foreach (var (field, text) in new[] { ("subject", s), ("body", b) })
        {
            var unknown = Placeholder().Matches(text).Select(m => m.Groups[1].Value).FirstOrDefault(p => !Placeholders.Contains(p));
            if (unknown is not null)
            {
                throw DomainException.Invalid(field, $"{(field == "subject" ? "Subject" : "Body")} uses {{{{{unknown}}}}}, which is not a placeholder. Use {string.Join(", ", Placeholders.Select(p => "{{" + p + "}}"))}.");
            }
        }

        if (!b.Contains("{{link}}", StringComparison.Ordinal))
        {
            throw DomainException.Invalid("body", "Body must contain {{link}}: without it the invitee cannot accept.");
        }

        return (s, b);
    }

    /// <summary>Fills the placeholders; values are plain text (the sender encodes them for HTML).</summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    /// <summary>Sample values for the preview.</summary>
    public static IReadOnlyDictionary<string, string> Sample(string organizationName, string inviter, DateTime now) => new Dictionary<string, string>
    {
        ["name"] = "Alex Example",
        ["inviter"] = inviter,
        ["organization"] = organizationName,
        ["role"] = "MEMBER",
        ["link"] = "https://multiorg.example/invitation/…",
        ["expires"] = now.AddDays(7).ToString("d MMMM yyyy HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
    };

    [GeneratedRegex(@"\{\{\s*([a-zA-Z]+)\s*\}\}")]
    private static partial Regex Placeholder();
}

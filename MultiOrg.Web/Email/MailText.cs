using MultiOrg.Domain.Text;

namespace MultiOrg.Web.Email;

/// <summary>
/// Names in mail come from people (a profile, a CSV, an identity provider) and may predate the name rule: in a plain-text
/// body a line break in one would start a line of the sender's choosing ("Bcc: …", a fake link), and a direction override
/// would make it read as something else.
/// </summary>
internal static class MailText
{
    /// <summary>
    /// Every line break (CR LF as one, LF, NEL, U+2028/9, form feed), any other control character and every character
    /// the name rule refuses (direction overrides, zero-width) becomes a space.
    /// </summary>
    public static string OneLine(string value)
    {
        var line = value.ReplaceLineEndings(" ");
        return UserText.FirstForbidden(line) is null ? line : new string([.. line.Select(c => UserText.FirstForbidden(c.ToString()) is null ? c : ' ')]);
    }
}

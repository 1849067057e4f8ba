using System.Globalization;
using System.Text;
using MultiOrg.Domain.Errors;

namespace MultiOrg.Domain.Text;

/// <summary>
/// The one rule for names people choose (organizations, teams, departments, API keys, invitation subjects): text, not
/// control codes. Names show in the switcher, the directory, support search, mails and logs, where a right-to-left
/// override (<c>Acme\u202eproC</c>), a zero-width space or a terminal escape would make one name pass for another.
/// </summary>
public static class UserText
{
    /// <summary>Trimmed and composed (NFC), so one name has one spelling; refused naming <paramref name="field"/>.</summary>
    public static string Name(string? text, string field, string label, int maxLength) =>
        Problem(text, label, maxLength, out var clean) is { } problem ? throw DomainException.Invalid(field, problem) : clean;

    /// <summary>
    /// Why <paramref name="text"/> is not a valid name, or null with the trimmed, composed name in <paramref name="clean"/>:
    /// for row-by-row reports (an import's preview) where one bad name is a result, not an error.
    /// </summary>
    public static string? Problem(string? text, string label, int maxLength, out string clean)
    {
        clean = (text ?? "").Trim();
        clean = clean.IsNormalized(NormalizationForm.FormC) ? clean : clean.Normalize(NormalizationForm.FormC);
        if (clean.Length == 0)
        {
            return $"{label} is required.";
        }

        if (FirstForbidden(clean) is { } bad)
        {
            return $"{label} must not contain control, text-direction or invisible characters (found U+{((int)bad).ToString("X4", CultureInfo.InvariantCulture)}).";
        }

        return clean.Length > maxLength ? $"{label} must be at most {maxLength} characters." : null;
    }

    /// <summary>The first character a name may not hold, or null.</summary>
    public static char? FirstForbidden(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];

            // A zero-width joiner between two emoji is part of one emoji (family, profession, flag sequences).
            if (c == '\u200D' && i > 0 && i + 1 < text.Length && IsEmojiPart(text[i - 1]) && IsEmojiPart(text[i + 1]))
            {
                continue;
            }

            if (Forbidden(c))
            {
                return c;
            }
        }

        return null;
    }

    // C0, DEL and C1 controls; bidi embeddings, overrides, isolates and marks; zero-width and invisible formatters.
    private static bool Forbidden(char c) =>
        char.IsControl(c)
        || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C'
        || c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\u2061' or '\u2062' or '\u2063' or '\u2064' or '\uFEFF' or '\u180E' or '\u00AD';

    private static bool IsEmojiPart(char c) => char.IsSurrogate(c) || c is '\uFE0F' or (>= '\u2600' and <= '\u27BF');
}

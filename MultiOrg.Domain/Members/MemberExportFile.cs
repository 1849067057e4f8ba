using System.Globalization;
using System.Text;

namespace MultiOrg.Domain.Members;

/// <summary>The name a member export is saved under: <c>acme-corp-members-2026-12-07.csv</c>, whatever the organization is called.</summary>
public static class MemberExportFile
{
    private const int MaxNameLength = 60;

    /// <remarks>
    /// Letters lose their accents and everything but a-z and 0-9 becomes one hyphen, so the name is the same on every
    /// operating system and never holds a path separator, a quote or a control character from the organization's name.
    /// </remarks>
    public static string Name(string? organizationName, DateTime utcNow)
    {
        var slug = new StringBuilder();
        foreach (var c in (organizationName ?? "").Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            if (lower is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                slug.Append(lower);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var name = slug.ToString(0, Math.Min(slug.Length, MaxNameLength)).Trim('-');
        return $"{(name.Length == 0 ? "organization" : name)}-members-{utcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv";
    }
}

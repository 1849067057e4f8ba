using System.Globalization;
using System.Text.RegularExpressions;
using MultiOrg.Domain.Errors;

namespace MultiOrg.Domain.Branding;

/// <summary>What a logo and a primary colour must be: checked on content, never on a file name.</summary>
public static partial class BrandingRules
{
    /// <summary>WCAG AA for normal text: white labels on the primary colour stay readable.</summary>
    public const double MinimumContrast = 4.5;

    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];

    /// <summary>image/png or image/jpeg from the first bytes; anything else (SVG, a renamed program, …) is refused with a message.</summary>
    public static string LogoContentType(ReadOnlySpan<byte> content)
    {
        if (content.Length == 0)
        {
            throw DomainException.Invalid("logo", "Logo is empty.");
        }

        if (content.Length > OrganizationBranding.MaxLogoBytes)
        {
            throw DomainException.Invalid("logo", $"Logo is {content.Length / 1024.0:N0} KB; the limit is {OrganizationBranding.MaxLogoBytes / 1024} KB.");
        }

        if (content.StartsWith(Png))
        {
            return "image/png";
        }

        if (content.StartsWith(Jpeg))
        {
            return "image/jpeg";
        }

        throw DomainException.Invalid("logo", "Logo must be a PNG or JPEG image; this file is neither (SVG and other formats are not accepted).");
    }

    /// <summary>"#rrggbb" in lower case, or a message naming the field when it is not a colour or too light for white text.</summary>
    public static string PrimaryColor(string? value)
    {
        var text = value?.Trim() ?? "";
        if (!HexColor().IsMatch(text))
        {
            throw DomainException.Invalid("primaryColor", $"Primary colour “{text}” is not a hex colour such as #1e40af.");
        }

        var hex = text.ToLowerInvariant();
        var contrast = ContrastWithWhite(hex);
        if (contrast < MinimumContrast)
        {
            throw DomainException.Invalid("primaryColor",
                $"Primary colour {hex} is too light for white text (contrast {contrast:0.0}:1, at least {MinimumContrast:0.0}:1 is needed). Choose a darker colour.");
        }

        return hex;
    }

    /// <summary>The WCAG contrast ratio between the colour and white.</summary>
    public static double ContrastWithWhite(string hex)
    {
        double Channel(int offset)
        {
            var c = int.Parse(hex.AsSpan(offset, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        var luminance = (0.2126 * Channel(1)) + (0.7152 * Channel(3)) + (0.0722 * Channel(5));
        return 1.05 / (luminance + 0.05);
    }

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex HexColor();
}

using MudBlazor.Utilities;

namespace MultiOrg.Web.Shell;

/// <summary>
/// WCAG 2.1 contrast (relative luminance, ratio), and the shades of a colour that reach it: an organization's colour
/// may be anything, the text drawn in it or on it must still be readable in both themes (issue 27).
/// </summary>
public static class ColorContrast
{
    /// <summary>Text (WCAG 1.4.3, normal size).</summary>
    public const double Text = 4.5;

    /// <summary>Borders, icons and focus rings (WCAG 1.4.11).</summary>
    public const double UiPart = 3.0;

    public static MudColor White { get; } = new("#ffffff");

    /// <summary>The darkest surface of the dark theme: text on a light fill reads in it.</summary>
    public static MudColor Ink { get; } = new("#0f131a");

    public static double Luminance(MudColor color)
    {
        static double Channel(byte value)
        {
            var c = value / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return (0.2126 * Channel(color.R)) + (0.7152 * Channel(color.G)) + (0.0722 * Channel(color.B));
    }

    public static double Ratio(MudColor one, MudColor other)
    {
        var (a, b) = (Luminance(one), Luminance(other));
        return (Math.Max(a, b) + 0.05) / (Math.Min(a, b) + 0.05);
    }

    /// <summary>White or ink, whichever reads better on the fill (one of them always reaches 4.5:1).</summary>
    public static MudColor OnColor(MudColor fill) => Ratio(White, fill) >= Ratio(Ink, fill) ? White : Ink;

    /// <summary>A filled control's hover shade: away from its label's colour, so the label reads better, never worse.</summary>
    public static MudColor Hover(MudColor fill) =>
        Ratio(White, fill) >= Ratio(Ink, fill) ? fill.ColorDarken(0.08) : fill.ColorLighten(0.08);

    /// <summary>
    /// The colour as it may be used for text and fills on every one of <paramref name="backgrounds"/>: unchanged when it
    /// already reaches <paramref name="ratio"/> on each, else darkened (light backgrounds) or lightened (dark ones) in
    /// small steps of HSL lightness, so it keeps its hue, until it does.
    /// </summary>
    public static MudColor Readable(MudColor color, double ratio, params MudColor[] backgrounds)
    {
        var light = backgrounds.Average(Luminance) > 0.18;
        var shade = color;
        for (var step = 0; step < 100 && backgrounds.Any(b => Ratio(shade, b) < ratio); step++)
        {
            shade = light ? shade.ColorDarken(0.01) : shade.ColorLighten(0.01);
        }

        return shade;
    }

    public static string Hex(MudColor color) => color.ToString(MudColorOutputFormats.Hex);
}

using MudBlazor;
using MudBlazor.Utilities;
using MultiOrg.Tests.Harness;
using MultiOrg.Web.Shell;

namespace MultiOrg.Tests.Shell;

/// <summary>
/// Every colour pair the theme draws, in light and dark, for the product's colours and for organization colours from
/// very light to very dark: 4.5:1 for text, 3:1 for borders and icons (WCAG 2.1 1.4.3 and 1.4.11).
/// </summary>
[Trait(TestDatabase.Trait, TestDatabase.Independent)]
public sealed class ThemeContrastTests
{
    public static TheoryData<string> Themes => new()
    {
        "product",
        "#fff59d", // very light yellow
        "#0b1f3a", // very dark navy
        "#808080", // mid grey
        "#1e40af", // an ordinary saved colour
    };

    [Theory]
    [MemberData(nameof(Themes))]
    public void Every_palette_pair_reaches_its_contrast_in_light_and_dark(string organizationColor)
    {
        var theme = MultiOrgTheme.For(organizationColor == "product" ? null : organizationColor);

        var failures = Pairs("light", theme.PaletteLight).Concat(Pairs("dark", theme.PaletteDark))
            .Select(p => (p.Name, Ratio: ColorContrast.Ratio(p.Foreground, p.Background), p.Needed))
            .Where(p => p.Ratio < p.Needed)
            .Select(p => $"{p.Name}: {p.Ratio:0.00}:1, needs {p.Needed:0.0}:1");

        string.Join("\n", failures).Should().BeEmpty($"every pair the {organizationColor} theme draws is readable");
    }

    [Fact]
    public void Ratios_follow_the_WCAG_formula()
    {
        ColorContrast.Ratio(new MudColor("#000000"), new MudColor("#ffffff")).Should().BeApproximately(21, 0.01);
        ColorContrast.Ratio(new MudColor("#818cf8"), new MudColor("#ffffff")).Should().BeApproximately(2.98, 0.01, "the dark primary the issue measured");
        ColorContrast.Ratio(new MudColor("#16a34a"), new MudColor("#ffffff")).Should().BeApproximately(3.30, 0.01, "the old success green");
    }

    [Theory]
    [InlineData("#fff59d", "#f6f7fb", true)]
    [InlineData("#0b1f3a", "#161b26", false)]
    [InlineData("#808080", "#ffffff", true)]
    public void A_colour_too_faint_for_text_is_shaded_until_it_reads_and_keeps_its_hue(string color, string background, bool darker)
    {
        var original = new MudColor(color);
        var shade = ColorContrast.Readable(original, ColorContrast.Text, new MudColor(background));

        ColorContrast.Ratio(shade, new MudColor(background)).Should().BeGreaterThanOrEqualTo(ColorContrast.Text);
        (ColorContrast.Luminance(shade) < ColorContrast.Luminance(original)).Should().Be(darker);
        shade.H.Should().BeApproximately(original.H, 1, "the organization's hue stays");
    }

    [Fact]
    public void A_colour_that_already_reads_is_left_as_it_is()
    {
        var indigo = new MudColor("#4f46e5");

        ColorContrast.Readable(indigo, ColorContrast.Text, new MudColor("#ffffff")).Should().Be(indigo);
    }

    private static IEnumerable<(string Name, MudColor Foreground, MudColor Background, double Needed)> Pairs(string mode, Palette palette)
    {
        var backgrounds = new[] { ("background", palette.Background), ("surface", palette.Surface) };
        var texts = new[]
        {
            ("text-primary", palette.TextPrimary), ("text-secondary", palette.TextSecondary), ("primary", palette.Primary),
            ("secondary", palette.Secondary), ("tertiary", palette.Tertiary), ("success", palette.Success), ("warning", palette.Warning),
            ("error", palette.Error), ("info", palette.Info),
        };
        foreach (var (textName, text) in texts)
        {
            foreach (var (backgroundName, background) in backgrounds)
            {
                yield return ($"{mode} {textName} on {backgroundName}", text, background, ColorContrast.Text);
            }
        }

        var fills = new[]
        {
            ("primary", palette.Primary, palette.PrimaryContrastText), ("secondary", palette.Secondary, palette.SecondaryContrastText),
            ("tertiary", palette.Tertiary, palette.TertiaryContrastText), ("success", palette.Success, palette.SuccessContrastText),
            ("warning", palette.Warning, palette.WarningContrastText), ("error", palette.Error, palette.ErrorContrastText),
            ("info", palette.Info, palette.InfoContrastText),
        };
        foreach (var (fillName, fill, on) in fills)
        {
            yield return ($"{mode} text on filled {fillName}", on, fill, ColorContrast.Text);
        }

        yield return ($"{mode} text on a hovered filled primary", palette.PrimaryContrastText, palette.PrimaryDarken, ColorContrast.Text);
        yield return ($"{mode} app bar text", palette.AppbarText, palette.AppbarBackground, ColorContrast.Text);
        yield return ($"{mode} drawer text", palette.DrawerText, palette.DrawerBackground, ColorContrast.Text);
        yield return ($"{mode} drawer icon", palette.DrawerIcon, palette.DrawerBackground, ColorContrast.UiPart);
        yield return ($"{mode} input outline", palette.LinesInputs, palette.Surface, ColorContrast.UiPart);
        yield return ($"{mode} icon button", palette.ActionDefault, palette.Surface, ColorContrast.UiPart);

        // The focus ring (app.css) is drawn in the primary colour around controls on either background.
        foreach (var (backgroundName, background) in backgrounds)
        {
            yield return ($"{mode} focus ring on {backgroundName}", palette.Primary, background, ColorContrast.UiPart);
        }
    }
}

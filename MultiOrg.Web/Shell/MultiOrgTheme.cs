using System.Collections.Concurrent;
using MudBlazor;
using MudBlazor.Utilities;

namespace MultiOrg.Web.Shell;

/// <summary>The product's look: one palette for light and one for dark, shared by every page.</summary>
public static class MultiOrgTheme
{
    public static MudTheme Theme { get; } = Build();

    private static readonly ConcurrentDictionary<string, MudTheme> Branded = new(StringComparer.Ordinal);

    /// <summary>
    /// The product theme in an organization's primary colour. The colour is text (links, outlined buttons, the current
    /// page in the menu) as well as a fill, so each theme uses the nearest shade that reads at 4.5:1 on its backgrounds
    /// (darker in light mode, lighter in dark mode) and puts white or ink on it, whichever reads better.
    /// </summary>
    public static MudTheme For(string? primaryColor) =>
        primaryColor is null ? Theme : Branded.GetOrAdd(primaryColor, static hex =>
        {
            var theme = Build();
            var color = new MudColor(hex);
            var light = ColorContrast.Readable(color, ColorContrast.Text, theme.PaletteLight.Background, theme.PaletteLight.Surface);
            theme.PaletteLight.Primary = ColorContrast.Hex(light);
            theme.PaletteLight.PrimaryContrastText = ColorContrast.Hex(ColorContrast.OnColor(light));
            theme.PaletteLight.PrimaryDarken = ColorContrast.Hex(ColorContrast.Hover(light));
            theme.PaletteLight.PrimaryLighten = light.ColorLighten(0.15).ToString(MudColorOutputFormats.Hex);
            var dark = ColorContrast.Readable(color, ColorContrast.Text, theme.PaletteDark.Background, theme.PaletteDark.Surface);
            theme.PaletteDark.Primary = ColorContrast.Hex(dark);
            theme.PaletteDark.PrimaryContrastText = ColorContrast.Hex(ColorContrast.OnColor(dark));
            theme.PaletteDark.PrimaryDarken = ColorContrast.Hex(ColorContrast.Hover(dark));
            theme.PaletteDark.PrimaryLighten = dark.ColorLighten(0.1).ToString(MudColorOutputFormats.Hex);
            return theme;
        });

    private static MudTheme Build() => new()
    {
        PaletteLight = new PaletteLight
        {
            // Every colour is also text on the background (chips, amounts, outlined buttons): 4.5:1 on #f6f7fb and white.
            Primary = "#4f46e5",
            PrimaryDarken = "#4338ca",
            Secondary = "#0f766e",
            Tertiary = "#b45309",
            AppbarBackground = "#ffffff",
            AppbarText = "#1f2937",
            Background = "#f6f7fb",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            DrawerText = "#374151",
            DrawerIcon = "#6b7280",
            TextPrimary = "#111827",
            TextSecondary = "#4b5563",
            LinesDefault = "#e5e7eb",
            // An input's outline is what shows where to type: 3:1 (WCAG 1.4.11).
            LinesInputs = "#7b8494",
            TableLines = "#eef0f4",
            Divider = "#e5e7eb",
            Success = "#15803d",
            Error = "#c81e1e",
            Warning = "#b45309",
            Info = "#2563eb",
        },
        PaletteDark = new PaletteDark
        {
            // Light colours on dark surfaces: the text on a filled button, chip or avatar is ink, not white (white on
            // #818cf8 was 2.98:1).
            Primary = "#818cf8",
            PrimaryContrastText = "#0f131a",
            // A filled button's hover shade (MudBlazor's "darken"): lighter here, so its ink label keeps its contrast.
            PrimaryDarken = "#a5b4fc",
            SecondaryContrastText = "#0f131a",
            TertiaryContrastText = "#0f131a",
            SuccessContrastText = "#0f131a",
            ErrorContrastText = "#0f131a",
            WarningContrastText = "#0f131a",
            InfoContrastText = "#0f131a",
            Secondary = "#2dd4bf",
            Tertiary = "#fbbf24",
            AppbarBackground = "#161b26",
            AppbarText = "#e5e7eb",
            Background = "#0f131a",
            Surface = "#161b26",
            DrawerBackground = "#121720",
            DrawerText = "#d1d5db",
            DrawerIcon = "#9ca3af",
            TextPrimary = "#f3f4f6",
            TextSecondary = "#9ca3af",
            LinesDefault = "#2a3140",
            LinesInputs = "#6b7280",
            TableLines = "#232a37",
            Divider = "#2a3140",
            ActionDefault = "#9ca3af",
            Success = "#4ade80",
            Error = "#f87171",
            Warning = "#fbbf24",
            Info = "#60a5fa",
        },
        LayoutProperties = new LayoutProperties
        {
            DefaultBorderRadius = "10px",
            DrawerWidthLeft = "248px",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["Inter", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
            Button = new ButtonTypography
            {
                FontFamily = ["Inter", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
                FontWeight = "600",
                TextTransform = "none",
            },
        },
    };
}

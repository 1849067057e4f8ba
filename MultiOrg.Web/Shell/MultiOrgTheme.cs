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
    /// The product theme in an organization's primary colour (checked for contrast with white text when it was saved);
    /// dark mode uses a lighter shade of it so it stays readable on the dark surfaces.
    /// </summary>
    public static MudTheme For(string? primaryColor) =>
        primaryColor is null ? Theme : Branded.GetOrAdd(primaryColor, static hex =>
        {
            var theme = Build();
            var color = new MudColor(hex);
            theme.PaletteLight.Primary = color;
            theme.PaletteLight.PrimaryDarken = color.ColorDarken(0.08).ToString(MudColorOutputFormats.Hex);
            theme.PaletteLight.PrimaryLighten = color.ColorLighten(0.15).ToString(MudColorOutputFormats.Hex);
            var light = color.ColorLighten(0.25);
            theme.PaletteDark.Primary = light;
            theme.PaletteDark.PrimaryDarken = color.ToString(MudColorOutputFormats.Hex);
            theme.PaletteDark.PrimaryLighten = light.ColorLighten(0.1).ToString(MudColorOutputFormats.Hex);
            return theme;
        });

    private static MudTheme Build() => new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#4f46e5",
            PrimaryDarken = "#4338ca",
            Secondary = "#0d9488",
            Tertiary = "#d97706",
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
            TableLines = "#eef0f4",
            Divider = "#e5e7eb",
            Success = "#16a34a",
            Error = "#dc2626",
            Warning = "#d97706",
            Info = "#2563eb",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#818cf8",
            PrimaryDarken = "#6366f1",
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

using MultiOrg.Domain.Branding;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Web.Shell;

/// <summary>
/// How the shell looks in this circuit: the current organization's colour and logo (the theme follows it, so a switch
/// visibly changes the app) and the person's light or dark choice (the system's until they pick one).
/// </summary>
public sealed class ShellAppearance(TenantContext tenant, BrandingService branding, UserPreferenceService preferences)
{
    private bool? storedDarkMode;

    public ThemeBranding? Branding { get; private set; }

    public bool DarkMode { get; private set; }

    /// <summary>No stored choice yet: the theme follows the operating system.</summary>
    public bool FollowsSystem => storedDarkMode is null;

    public async Task LoadPreferencesAsync()
    {
        storedDarkMode = await preferences.GetDarkModeAsync();
        DarkMode = storedDarkMode ?? false;
    }

    /// <summary>The system's choice, while the person made none; true when the theme changed.</summary>
    public bool FollowSystem(bool systemDark)
    {
        if (!FollowsSystem || systemDark == DarkMode)
        {
            return false;
        }

        DarkMode = systemDark;
        return true;
    }

    /// <summary>Flips the theme; a signed-in person's choice is kept for their next visit.</summary>
    public async Task ToggleDarkModeAsync(bool signedIn)
    {
        DarkMode = !DarkMode;
        if (signedIn)
        {
            storedDarkMode = DarkMode;
            await preferences.SetDarkModeAsync(DarkMode);
        }
    }

    /// <summary>Reads the branding of the organization the circuit is in now (none outside one, or without access).</summary>
    public async Task RefreshBrandingAsync(bool shown)
    {
        if (tenant.OrganizationId is null || !shown)
        {
            Branding = null;
            return;
        }

        try
        {
            Branding = await branding.GetThemeAsync();
        }
        catch (DomainException)
        {
            Branding = null;
        }
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using MudBlazor;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Web.Components.Layout;

/// <summary>
/// The shell. It makes the URL's organization the circuit's tenant before any page renders, and re-creates the
/// page tree when the tenant changes, so nothing of the previous organization stays on screen.
/// </summary>
public sealed partial class MainLayout : IDisposable
{
    private MudThemeProvider? themeProvider;
    private bool darkMode;
    private bool? storedDarkMode;
    private bool drawerOpen = true;
    private bool signedIn;
    private bool entering;
    private bool accessDenied;
    private bool initialized;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private TenantContext Tenant { get; set; } = default!;

    [Inject]
    private OrganizationService OrganizationService { get; set; } = default!;

    [Inject]
    private UserOrganizations Organizations { get; set; } = default!;

    [Inject]
    private UserPreferenceService Preferences { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    public void Dispose()
    {
        Organizations.Changed -= OnOrganizationsChanged;
        Tenant.Changed -= OnOrganizationsChanged;
    }

    protected override async Task OnParametersSetAsync()
    {
        if (!initialized)
        {
            initialized = true;
            var user = AuthenticationState is null ? null : (await AuthenticationState).User;
            var userId = user?.FindFirstValue(ClaimTypes.NameIdentifier);
            signedIn = userId is not null;
            Tenant.SetUser(userId);
            Organizations.Changed += OnOrganizationsChanged;
            Tenant.Changed += OnOrganizationsChanged;
            if (signedIn)
            {
                await Organizations.RefreshAsync();
                storedDarkMode = await Preferences.GetDarkModeAsync();
                darkMode = storedDarkMode ?? false;
            }
        }

        await FollowRouteOrganizationAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && storedDarkMode is null && themeProvider is not null)
        {
            // No stored choice yet: follow the operating system until the person picks one.
            var systemDark = await themeProvider.GetSystemDarkModeAsync();
            if (systemDark != darkMode)
            {
                darkMode = systemDark;
                StateHasChanged();
            }
        }
    }

    /// <summary>Enters the organization named by the URL (checking membership and remembering it as last used).</summary>
    private async Task FollowRouteOrganizationAsync()
    {
        var routeOrganization = OrganizationRoute.Parse(Navigation.Uri);
        if (!signedIn || routeOrganization is null)
        {
            accessDenied = false;
            return;
        }

        if (routeOrganization == Tenant.OrganizationId && !accessDenied)
        {
            return;
        }

        entering = true;
        try
        {
            await OrganizationService.SwitchAsync(routeOrganization.Value);
            accessDenied = false;
            await Organizations.RefreshAsync();
        }
        catch (DomainException error) when (error.Kind == DomainErrorKind.Forbidden)
        {
            accessDenied = true;
        }
        finally
        {
            entering = false;
        }
    }

    private async Task SwitchAsync(Guid organizationId)
    {
        if (organizationId == Tenant.OrganizationId)
        {
            return;
        }

        try
        {
            var target = await OrganizationService.SwitchAsync(organizationId);
            await Organizations.RefreshAsync();
            Navigation.NavigateTo(OrganizationRoute.Dashboard(organizationId));
            Snackbar.Add($"Switched to {target.Name}", Severity.Info);
        }
        catch (DomainException error)
        {
            Snackbar.Add(error.Message, Severity.Error);
        }
    }

    private async Task ToggleDarkModeAsync()
    {
        darkMode = !darkMode;
        if (signedIn)
        {
            storedDarkMode = darkMode;
            await Preferences.SetDarkModeAsync(darkMode);
        }
    }

    private void OnOrganizationsChanged() => InvokeAsync(StateHasChanged);
}

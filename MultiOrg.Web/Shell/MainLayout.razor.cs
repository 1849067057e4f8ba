using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Web.Doors;
using MultiOrg.Web.Features.FeatureSwitches;

namespace MultiOrg.Web.Shell;

/// <summary>
/// The shell. It makes the URL's organization the circuit's tenant (through the <see cref="CircuitDoor"/>) before any
/// page renders, and re-creates the page tree when the tenant changes, so nothing of the previous organization stays on
/// screen. Its look is <see cref="ShellAppearance"/>'s; what happens elsewhere is <see cref="OrganizationWatch"/>'s.
/// </summary>
public sealed partial class MainLayout : IDisposable
{
    private MudThemeProvider? themeProvider;
    private bool drawerOpen = true;
    private bool signedIn;
    private bool opened;

    // The watch starts once the person is known: it subscribes to their changes only.
    private bool watching;
    private bool entering;
    private bool accessDenied;
    private Guid? routeOrganization;

    // Set when the organization's security policy (not a missing membership) turned the person away.
    private string? refusal;

    // One entry at a time, each for the URL as it is when its turn comes: fast clicks A → B → C end in C, never in B.
    private readonly SemaphoreSlim entry = new(1, 1);

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>Present while prerendering: a refused address gets a real 403 status, not only a page saying so.</summary>
    [CascadingParameter]
    private HttpContext? HttpContext { get; set; }

    [Inject]
    private TenantContext Tenant { get; set; } = default!;

    [Inject]
    private CircuitDoor Door { get; set; } = default!;

    [Inject]
    private FeatureState Features { get; set; } = default!;

    [Inject]
    private UserOrganizations Organizations { get; set; } = default!;

    [Inject]
    private ShellAppearance Appearance { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    /// <summary>
    /// An account page, which stays statically rendered. A page prerendered before its circuit connects is not one: its
    /// first paint is the live shell (switcher, theme, account menu), which works once the circuit is up.
    /// </summary>
    private bool StaticPage => AssignedRenderMode is null;

    /// <summary>The skip link's address: this page's main landmark (a bare "#main-content" would resolve against the base address).</summary>
    private string SkipLinkAddress => $"{new Uri(Navigation.Uri).PathAndQuery}#main-content";

    /// <summary>The page renders only once the circuit's tenant is the organization its URL names.</summary>
    private bool ShowBody => !entering && !accessDenied && (routeOrganization is null || routeOrganization == Tenant.OrganizationId);

    public void Dispose()
    {
        Organizations.Changed -= OnOrganizationsChanged;
        Tenant.Changed -= OnOrganizationsChanged;
        Features.Changed -= OnFeaturesChanged;
        Door.Reconnected -= OnReconnectedAsync;
        entry.Dispose();
    }

    protected override async Task OnParametersSetAsync()
    {
        // Decided before the first await, so no page of this URL renders under the previous organization.
        routeOrganization = OrganizationRoute.Parse(Navigation.Uri);
        if (routeOrganization is not null && routeOrganization != Tenant.OrganizationId)
        {
            entering = true;
        }

        if (!opened)
        {
            await OpenAsync();
        }

        await FollowRouteOrganizationAsync();
        await Features.EnsureLoadedAsync();
        await Appearance.RefreshBrandingAsync(shown: signedIn && !accessDenied);
    }

    /// <summary>The tab's person comes in (once per circuit), with their organizations, theme and resumed organization.</summary>
    private async Task OpenAsync()
    {
        opened = true;
        var user = AuthenticationState is null ? null : (await AuthenticationState).User;
        await Door.OpenAsync(user, RendererInfo.IsInteractive);
        signedIn = Tenant.UserId is not null;
        Organizations.Changed += OnOrganizationsChanged;
        Tenant.Changed += OnOrganizationsChanged;
        Features.Changed += OnFeaturesChanged;
        Door.Reconnected += OnReconnectedAsync;
        if (signedIn)
        {
            await Organizations.RefreshAsync();
            await Appearance.LoadPreferencesAsync();
            if (RendererInfo.IsInteractive)
            {
                await Door.ResumePersistedAsync();
            }
        }

        watching = true;
    }

    /// <summary>
    /// The connection came back to this circuit: before its pending renders go out, the organization is entered again
    /// (membership, and the allow-list for the address the tab connects from now) and the idle time it had is checked.
    /// </summary>
    private async Task OnReconnectedAsync()
    {
        if (Tenant.OrganizationId is not { } organizationId || Tenant.Impersonation is not null)
        {
            return;
        }

        try
        {
            await Door.ReenterAsync(organizationId);
            await Door.WatchIdleAsync();
        }
        catch (DomainException error) when (error.Kind is DomainErrorKind.Forbidden or DomainErrorKind.NotFound)
        {
            Door.Leave();
            Refuse(error);
        }

        StateHasChanged();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // No stored choice yet: follow the operating system until the person picks one.
        if (firstRender && Appearance.FollowsSystem && themeProvider is not null
            && Appearance.FollowSystem(await themeProvider.GetSystemDarkModeAsync()))
        {
            StateHasChanged();
        }
    }

    /// <summary>
    /// Enters the organization named by the URL, checking membership. In a live circuit it is also remembered as the
    /// last-used organization; prerendering (a plain GET) never writes.
    /// </summary>
    private async Task FollowRouteOrganizationAsync()
    {
        await entry.WaitAsync();
        try
        {
            routeOrganization = OrganizationRoute.Parse(Navigation.Uri);
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
                await Door.EnterRouteAsync(routeOrganization.Value, RendererInfo.IsInteractive);
                accessDenied = false;
                refusal = null;
                await Organizations.RefreshAsync();
            }
            catch (DomainException error) when (error.Kind == DomainErrorKind.Forbidden)
            {
                if (!SendToRemedy(error))
                {
                    Refuse(error);
                    if (HttpContext is { Response.HasStarted: false } http)
                    {
                        http.Response.StatusCode = StatusCodes.Status403Forbidden;
                    }
                }
            }
        }
        finally
        {
            entering = false;
            entry.Release();
        }
    }

    /// <summary>
    /// The organization asks for something the person can do (an authenticator, a new password, a sign-in through its
    /// identity provider): send them there, and back here afterwards. Their other organizations never ask.
    /// </summary>
    private bool SendToRemedy(DomainException error)
    {
        var back = "/" + Navigation.ToBaseRelativePath(Navigation.Uri);
        var remedy = error.Refusal switch
        {
            Domain.Security.SecurityRefusal.TwoFactorSetup => MultiOrg.Web.Features.Security.ReturnUrls.For("/Account/Manage/EnableAuthenticator", back),
            Domain.Security.SecurityRefusal.PasswordChange => MultiOrg.Web.Features.Security.ReturnUrls.For("/Account/Manage/ChangePassword", back),
            Domain.Security.SecurityRefusal.SingleSignOnStepUp when routeOrganization is { } stepUp =>
                $"{Domain.SingleSignOn.SsoStepUp.PathFor(stepUp)}&returnUrl={Uri.EscapeDataString(back)}",
            _ => null,
        };
        if (remedy is not null)
        {
            Navigation.NavigateTo(remedy, forceLoad: true);
        }

        return remedy is not null;
    }

    /// <summary>The organization turned this tab away: the page says so, and why when a policy (not membership) did.</summary>
    private void Refuse(DomainException error)
    {
        accessDenied = true;
        refusal = error.Refusal == Domain.Security.SecurityRefusal.None ? null : error.Message;
    }

    private Task ToggleDarkModeAsync() => Appearance.ToggleDarkModeAsync(signedIn);

    // Saving branding refreshes the organizations too, so this also picks up a new colour or logo.
    private void OnOrganizationsChanged() => InvokeAsync(async () =>
    {
        await Features.EnsureLoadedAsync();
        await Appearance.RefreshBrandingAsync(shown: signedIn && !accessDenied);
        StateHasChanged();
    });

    private void OnFeaturesChanged() => InvokeAsync(StateHasChanged);
}

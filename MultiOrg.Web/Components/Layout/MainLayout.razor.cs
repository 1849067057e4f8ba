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
    private Guid? routeOrganization;

    // Set when the organization's security policy (not a missing membership) turned the person away.
    private string? refusal;

    /// <summary>The current organization's colour and logo: the theme follows it, so a switch visibly changes the app.</summary>
    private Domain.Branding.ThemeBranding? branding;

    // One entry at a time, each for the URL as it is when its turn comes: fast clicks A → B → C end in C, never in B.
    private readonly SemaphoreSlim entry = new(1, 1);

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    private TenantContext Tenant { get; set; } = default!;

    [Inject]
    private Features.FeatureState Features { get; set; } = default!;

    [Inject]
    private OrganizationService OrganizationService { get; set; } = default!;

    [Inject]
    private UserOrganizations Organizations { get; set; } = default!;

    [Inject]
    private Domain.Support.SupportService Support { get; set; } = default!;

    [Inject]
    private UserPreferenceService Preferences { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private Domain.Branding.BrandingService Branding { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private AuthenticationStateProvider AuthenticationStateProvider { get; set; } = default!;

    [Inject]
    private Domain.Security.SecurityPolicyService SecurityPolicies { get; set; } = default!;

    [Inject]
    private MultiOrg.Web.Security.IdleWatch IdleWatch { get; set; } = default!;

    [Inject]
    private Domain.Events.IOrganizationEvents Events { get; set; } = default!;

    [Inject]
    private PersistedOrganization Persisted { get; set; } = default!;

    [Inject]
    private MultiOrg.Web.Security.CircuitGate Gate { get; set; } = default!;

    /// <summary>This circuit's subscription to changes made elsewhere (another tab, another server).</summary>
    private IDisposable? eventSubscription;

    /// <summary>Present while prerendering: a refused address gets a real 403 status, not only a page saying so.</summary>
    [CascadingParameter]
    private HttpContext? HttpContext { get; set; }

    /// <summary>The page renders only once the circuit's tenant is the organization its URL names.</summary>
    private bool ShowBody => !entering && !accessDenied && (routeOrganization is null || routeOrganization == Tenant.OrganizationId);

    public void Dispose()
    {
        Organizations.Changed -= OnOrganizationsChanged;
        Tenant.Changed -= OnOrganizationsChanged;
        Tenant.Changed -= RememberOrganization;
        Features.Changed -= OnFeaturesChanged;
        AuthenticationStateProvider.AuthenticationStateChanged -= OnAuthenticationStateChanged;
        IdleWatch.Expired -= OnIdle;
        Gate.Reconnected -= OnReconnectedAsync;
        eventSubscription?.Dispose();
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

        if (!initialized)
        {
            initialized = true;
            var user = AuthenticationState is null ? null : (await AuthenticationState).User;
            var userId = user?.FindFirstValue(ClaimTypes.NameIdentifier);
            signedIn = userId is not null;
            Tenant.SetUser(userId);
            Tenant.SsoPassed = MultiOrg.Web.SingleSignOn.SsoPassMarks.From(user);
            Organizations.Changed += OnOrganizationsChanged;
            Tenant.Changed += OnOrganizationsChanged;
            Tenant.Changed += RememberOrganization;
            Features.Changed += OnFeaturesChanged;
            AuthenticationStateProvider.AuthenticationStateChanged += OnAuthenticationStateChanged;
            IdleWatch.Expired += OnIdle;
            Gate.Reconnected += OnReconnectedAsync;
            if (signedIn && RendererInfo.IsInteractive)
            {
                eventSubscription = Events.Subscribe(OnOrganizationEvent);
            }

            if (signedIn)
            {
                // An open impersonation belongs to every tab of its support user: this one shows it too.
                await Support.ResumeImpersonationAsync(mayWrite: RendererInfo.IsInteractive);
                await Organizations.RefreshAsync();
                storedDarkMode = await Preferences.GetDarkModeAsync();
                darkMode = storedDarkMode ?? false;
                if (RendererInfo.IsInteractive)
                {
                    await ResumePersistedOrganizationAsync();
                }
            }
        }

        await FollowRouteOrganizationAsync();
        await Features.EnsureLoadedAsync();
        await RefreshBrandingAsync();
    }

    /// <summary>
    /// A resumed circuit (paused, or disconnected long enough to be persisted) on a page whose URL names no organization
    /// comes back into the organization it was in, if the database still lets the person in.
    /// </summary>
    private async Task ResumePersistedOrganizationAsync()
    {
        if (Persisted.OrganizationId is not { } persisted || OrganizationRoute.Parse(Navigation.Uri) is not null
            || Tenant.OrganizationId is not null || Tenant.Impersonation is not null)
        {
            return;
        }

        try
        {
            await OrganizationService.EnterAsync(persisted);
            WatchIdle(await SecurityPolicies.GetIdleTimeoutAsync());
        }
        catch (DomainException)
        {
            // Removed (or refused by a policy) while the circuit was away: not restored.
            OrganizationService.ExitCurrent();
            Persisted.OrganizationId = null;
        }
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
            await OrganizationService.EnterAsync(organizationId);
            WatchIdle(await SecurityPolicies.GetIdleTimeoutAsync());
        }
        catch (DomainException error) when (error.Kind is DomainErrorKind.Forbidden or DomainErrorKind.NotFound)
        {
            OrganizationService.ExitCurrent();
            accessDenied = true;
            refusal = error.Refusal == Domain.Security.SecurityRefusal.None ? null : error.Message;
        }

        StateHasChanged();
    }

    /// <summary>
    /// Watches the organization's idle timeout. A tab already idle for all of it (resumed after a pause, or the limit
    /// made shorter) leaves the organization now, before anything of it renders.
    /// </summary>
    private bool WatchIdle(int? minutes)
    {
        var limit = minutes is { } value ? TimeSpan.FromMinutes(value) : (TimeSpan?)null;
        if (IdleWatch.Watch(limit) || limit is null || Tenant.OrganizationId is not { } organizationId)
        {
            return true;
        }

        LeaveIdle(organizationId, limit.Value);
        return false;
    }

    /// <summary>Keeps the persisted organization in step with the tenant (never an impersonated one: that resumes from its session).</summary>
    private void RememberOrganization() =>
        Persisted.OrganizationId = Tenant.Impersonation is null ? Tenant.OrganizationId : null;

    /// <summary>Reads the branding of the organization the circuit is in now (none outside one, or without access).</summary>
    private async Task RefreshBrandingAsync()
    {
        if (Tenant.OrganizationId is null || accessDenied || !signedIn)
        {
            branding = null;
            return;
        }

        try
        {
            branding = await Branding.GetThemeAsync();
        }
        catch (DomainException)
        {
            branding = null;
        }
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
                if (RendererInfo.IsInteractive)
                {
                    await OrganizationService.SwitchAsync(routeOrganization.Value);
                }
                else
                {
                    await OrganizationService.EnterAsync(routeOrganization.Value);
                }

                accessDenied = false;
                refusal = null;
                await Organizations.RefreshAsync();
                if (RendererInfo.IsInteractive)
                {
                    WatchIdle(await SecurityPolicies.GetIdleTimeoutAsync());
                }
            }
            catch (DomainException error) when (error.Kind == DomainErrorKind.Forbidden)
            {
                // The organization asks for something the person can do (an authenticator, a new password): send them
                // there, and back here afterwards. Their other organizations never ask.
                var back = "/" + Navigation.ToBaseRelativePath(Navigation.Uri);
                switch (error.Refusal)
                {
                    case Domain.Security.SecurityRefusal.TwoFactorSetup:
                        Navigation.NavigateTo(MultiOrg.Web.Security.ReturnUrls.For("/Account/Manage/EnableAuthenticator", back), forceLoad: true);
                        return;
                    case Domain.Security.SecurityRefusal.PasswordChange:
                        Navigation.NavigateTo(MultiOrg.Web.Security.ReturnUrls.For("/Account/Manage/ChangePassword", back), forceLoad: true);
                        return;
                    case Domain.Security.SecurityRefusal.SingleSignOnStepUp when routeOrganization is { } stepUp:
                        Navigation.NavigateTo($"{Domain.SingleSignOn.SsoStepUp.PathFor(stepUp)}&returnUrl={Uri.EscapeDataString(back)}", forceLoad: true);
                        return;
                }

                accessDenied = true;
                refusal = error.Refusal == Domain.Security.SecurityRefusal.None ? null : error.Message;

                if (HttpContext is { Response.HasStarted: false } http)
                {
                    http.Response.StatusCode = StatusCodes.Status403Forbidden;
                }
            }
        }
        finally
        {
            entering = false;
            entry.Release();
        }
    }

    /// <summary>Signed out or signed in as someone else elsewhere: this circuit must not keep acting for the old user.</summary>
    private async void OnAuthenticationStateChanged(Task<AuthenticationState> state)
    {
        try
        {
            var userId = (await state).User.FindFirstValue(ClaimTypes.NameIdentifier);
            if (userId != Tenant.UserId)
            {
                Tenant.SetUser(null);
                await InvokeAsync(() => Navigation.NavigateTo("/Account/Login", forceLoad: true));
            }
        }
        catch (ObjectDisposedException)
        {
            // The circuit is already gone.
        }
    }

    /// <summary>
    /// A change made in another tab or on another server. Filtered here, on the publisher's thread, so that only the
    /// circuits it concerns are woken; the reaction runs on this circuit's dispatcher and re-reads the database.
    /// </summary>
    private void OnOrganizationEvent(Domain.Events.OrganizationEvent change)
    {
        var inList = Organizations.All.Any(o => o.Id == change.OrganizationId);
        if (!change.Concerns(Tenant.UserId, Tenant.OrganizationId) && !(change.Kind == Domain.Events.OrganizationEventKind.OrganizationDeleted && inList))
        {
            return;
        }

        _ = InvokeAsync(async () =>
        {
            try
            {
                await ReactAsync(change);
            }
            catch (ObjectDisposedException)
            {
                // The circuit went away meanwhile.
            }
        });
    }

    /// <summary>
    /// What binds at every action binds this tab now: the allow-list (asked by every permission check) and the new idle
    /// timeout. Two-factor and password rules bind at the next entry, as they always have (decision 12).
    /// </summary>
    private async Task ApplyChangedPolicyAsync()
    {
        if (Tenant.Impersonation is not null)
        {
            // Support is bound by the allow-list at its next permission check; the impersonation has its own limit.
            return;
        }

        try
        {
            WatchIdle(await SecurityPolicies.GetIdleTimeoutAsync());
        }
        catch (DomainException error) when (error.Kind == DomainErrorKind.Forbidden)
        {
            OrganizationService.ExitCurrent();
            accessDenied = true;
            refusal = error.Refusal == Domain.Security.SecurityRefusal.None ? null : error.Message;
        }

        StateHasChanged();
    }

    private async Task ReactAsync(Domain.Events.OrganizationEvent change)
    {
        switch (change.Kind)
        {
            case Domain.Events.OrganizationEventKind.SignedOutEverywhere:
                // The session is ended in the database: the full page load below finds the cookie refused and signs in anew.
                Tenant.SetUser(null);
                Navigation.NavigateTo("/Account/Login", forceLoad: true);
                return;

            case Domain.Events.OrganizationEventKind.ImpersonationEnded:
                // The banner ends it in this tab.
                return;

            case Domain.Events.OrganizationEventKind.PolicyChanged:
                await ApplyChangedPolicyAsync();
                return;
        }

        // Removed, role changed or organization deleted: ask the database whether this tab may still be inside
        // (partner staff keep reaching a client after their own membership went), and leave if not.
        if (Tenant.OrganizationId == change.OrganizationId && Tenant.Impersonation is null)
        {
            try
            {
                await OrganizationService.EnterAsync(change.OrganizationId);
            }
            catch (DomainException error) when (error.Kind is DomainErrorKind.Forbidden or DomainErrorKind.NotFound)
            {
                OrganizationService.ExitCurrent();
                await Organizations.RefreshAsync();
                var reason = change.Kind == Domain.Events.OrganizationEventKind.OrganizationDeleted ? "deleted" : "removed";
                Navigation.NavigateTo($"/left-organization?organization={change.OrganizationId}&reason={reason}");
                return;
            }
        }

        await Organizations.RefreshAsync();
        StateHasChanged();
    }

    /// <summary>The organization's idle timeout passed in this tab: leave it (nothing of it stays on screen) and say why.</summary>
    private void OnIdle(TimeSpan limit) => _ = InvokeAsync(() =>
    {
        if (Tenant.OrganizationId is { } organizationId)
        {
            LeaveIdle(organizationId, limit);
        }
    });

    private void LeaveIdle(Guid organizationId, TimeSpan limit)
    {
        OrganizationService.ExitCurrent();
        Navigation.NavigateTo($"/left-organization?organization={organizationId}&minutes={(int)limit.TotalMinutes}");
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

    // Saving branding refreshes the organizations too, so this also picks up a new colour or logo.
    private void OnOrganizationsChanged() => InvokeAsync(async () =>
    {
        await Features.EnsureLoadedAsync();
        await RefreshBrandingAsync();
        StateHasChanged();
    });

    private void OnFeaturesChanged() => InvokeAsync(StateHasChanged);
}

using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Events;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Web.Doors;

namespace MultiOrg.Web.Shell;

/// <summary>
/// The shell's watch over what happens outside this tab: changes published by other tabs and servers, a sign-out or a
/// change of person, and the organization's idle timeout. It renders nothing; the layout hears of a refusal.
/// </summary>
public sealed class OrganizationWatch : ComponentBase, IDisposable
{
    /// <summary>This circuit's subscription to changes made elsewhere (another tab, another server).</summary>
    private IDisposable? eventSubscription;

    [Parameter]
    public bool SignedIn { get; set; }

    /// <summary>The current organization turned this tab away (a policy changed): the layout shows why.</summary>
    [Parameter]
    public EventCallback<DomainException> OnRefused { get; set; }

    /// <summary>Something the shell shows changed (the organizations list, a policy): the layout renders again.</summary>
    [Parameter]
    public EventCallback OnChanged { get; set; }

    [Inject]
    private TenantContext Tenant { get; set; } = default!;

    [Inject]
    private UserOrganizations Organizations { get; set; } = default!;

    [Inject]
    private CircuitDoor Door { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IOrganizationEvents Events { get; set; } = default!;

    [Inject]
    private AuthenticationStateProvider AuthenticationStateProvider { get; set; } = default!;

    public void Dispose()
    {
        AuthenticationStateProvider.AuthenticationStateChanged -= OnAuthenticationStateChanged;
        Door.IdleExpired -= OnIdle;
        eventSubscription?.Dispose();
    }

    protected override void OnInitialized()
    {
        AuthenticationStateProvider.AuthenticationStateChanged += OnAuthenticationStateChanged;
        Door.IdleExpired += OnIdle;
        if (SignedIn && RendererInfo.IsInteractive)
        {
            eventSubscription = Events.Subscribe(OnOrganizationEvent);
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
                Door.SignOut();
                await InvokeAsync(() => Navigation.NavigateTo("/Account/Login", forceLoad: true));
            }
        }
        catch (ObjectDisposedException)
        {
            // The circuit is already gone.
        }
    }

    /// <summary>The organization's idle timeout passed in this tab: leave it (nothing of it stays on screen) and say why.</summary>
    private void OnIdle(TimeSpan limit) => _ = InvokeAsync(() => Door.LeaveIdle(limit));

    /// <summary>
    /// A change made in another tab or on another server. Filtered here, on the publisher's thread, so that only the
    /// circuits it concerns are woken; the reaction runs on this circuit's dispatcher and re-reads the database.
    /// </summary>
    private void OnOrganizationEvent(OrganizationEvent change)
    {
        var inList = Organizations.All.Any(o => o.Id == change.OrganizationId);
        if (!change.Concerns(Tenant.UserId, Tenant.OrganizationId) && !(change.Kind == OrganizationEventKind.OrganizationDeleted && inList))
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

    private async Task ReactAsync(OrganizationEvent change)
    {
        switch (change.Kind)
        {
            case OrganizationEventKind.SignedOutEverywhere:
                // The session is ended in the database: the full page load below finds the cookie refused and signs in anew.
                Door.SignOut();
                Navigation.NavigateTo("/Account/Login", forceLoad: true);
                return;

            case OrganizationEventKind.ImpersonationEnded:
                // The banner ends it in this tab.
                return;

            case OrganizationEventKind.PolicyChanged:
                await ApplyChangedPolicyAsync();
                return;

            case OrganizationEventKind.EventsInterrupted when Tenant.OrganizationId is { } current:
                // Changes to this tab's organization may have been missed: re-checked as if one had arrived.
                change = change with { OrganizationId = current };
                break;
        }

        // Removed, role changed or organization deleted: ask the database whether this tab may still be inside
        // (partner staff keep reaching a client after their own membership went), and leave if not.
        if (Tenant.OrganizationId == change.OrganizationId && Tenant.Impersonation is null)
        {
            try
            {
                await Door.ReenterAsync(change.OrganizationId);
            }
            catch (DomainException error) when (error.Kind is DomainErrorKind.Forbidden or DomainErrorKind.NotFound)
            {
                Door.Leave();
                await Organizations.RefreshAsync();
                var reason = change.Kind == OrganizationEventKind.OrganizationDeleted ? "deleted" : "removed";
                Navigation.NavigateTo($"/left-organization?organization={change.OrganizationId}&reason={reason}");
                return;
            }
        }

        await Organizations.RefreshAsync();
        await OnChanged.InvokeAsync();
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
            await Door.WatchIdleAsync();
        }
        catch (DomainException error) when (error.Kind == DomainErrorKind.Forbidden)
        {
            Door.Leave();
            await OnRefused.InvokeAsync(error);
            return;
        }

        await OnChanged.InvokeAsync();
    }
}

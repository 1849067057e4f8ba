using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Security;
using MultiOrg.Domain.Support;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Web.Features.Security;
using MultiOrg.Web.Shell;

namespace MultiOrg.Web.Doors;

/// <summary>
/// A circuit's (browser tab's) adapter to the <see cref="OrganizationDoor"/>, used by the layout: the person comes in
/// through the page door, enters the organization the URL names (or the one a resumed circuit was in), is re-checked
/// when the connection comes back, and leaves when the organization's idle timeout passes. The organization is kept in
/// the circuit's persisted state, so a resumed circuit comes back into it.
/// </summary>
public sealed class CircuitDoor(
    OrganizationDoor door,
    TenantContext tenant,
    SecurityPolicyService policies,
    IdleWatch idle,
    PersistedOrganization persisted,
    SupportService support,
    NavigationManager navigation) : IDisposable
{
    private bool opened;

    /// <summary>Raised for a circuit whose connection came back (on its dispatcher, before its pending renders go out).</summary>
    public event Func<Task>? Reconnected;

    /// <summary>The organization's idle timeout passed in this tab (raised off the circuit's dispatcher).</summary>
    public event Action<TimeSpan>? IdleExpired
    {
        add => idle.Expired += value;
        remove => idle.Expired -= value;
    }

    /// <summary>
    /// The tab's person comes in through the page door, from the address its connection came from; an open impersonation
    /// of theirs is resumed (it belongs to every tab of its support user). Prerendering (a plain GET) never writes.
    /// </summary>
    public async Task OpenAsync(ClaimsPrincipal? user, bool interactive)
    {
        door.Admit(RequestCaller.PersonOf(user), Door.Page, tenant.ClientIp);
        if (!opened)
        {
            opened = true;
            tenant.Changed += RememberOrganization;
        }

        if (tenant.UserId is not null)
        {
            await support.ResumeImpersonationAsync(mayWrite: interactive);
        }
    }

    /// <summary>
    /// Enters the organization the URL names. In a live circuit it is remembered as the last-used organization, and the
    /// organization's idle timeout is watched from now.
    /// </summary>
    public async Task EnterRouteAsync(Guid organizationId, bool interactive)
    {
        if (interactive)
        {
            await door.SwitchAsync(organizationId);
            await WatchIdleAsync();
        }
        else
        {
            await door.EnterAsync(organizationId);
        }
    }

    /// <summary>Checks the way into the current organization again (a change elsewhere may have closed it).</summary>
    public Task<OrganizationSummary> ReenterAsync(Guid organizationId) => door.EnterAsync(organizationId);

    /// <summary>
    /// A resumed circuit (paused, or disconnected long enough to be persisted) on a page whose URL names no organization
    /// comes back into the organization it was in, if the database still lets the person in.
    /// </summary>
    public async Task ResumePersistedAsync()
    {
        if (persisted.OrganizationId is not { } organizationId || OrganizationRoute.Parse(navigation.Uri) is not null
            || tenant.OrganizationId is not null || tenant.Impersonation is not null)
        {
            return;
        }

        try
        {
            await door.EnterAsync(organizationId);
            await WatchIdleAsync();
        }
        catch (DomainException)
        {
            // Removed (or refused by a policy) while the circuit was away: not restored.
            door.Leave();
            persisted.OrganizationId = null;
        }
    }

    /// <summary>
    /// Watches the organization's idle timeout. A tab already idle for all of it (resumed after a pause, or the limit
    /// made shorter) leaves the organization now, before anything of it renders.
    /// </summary>
    public async Task WatchIdleAsync()
    {
        var minutes = await policies.GetIdleTimeoutAsync();
        var limit = minutes is { } value ? TimeSpan.FromMinutes(value) : (TimeSpan?)null;
        if (!idle.Watch(limit) && limit is { } passed)
        {
            LeaveIdle(passed);
        }
    }

    /// <summary>The idle timeout passed: leave the organization (nothing of it stays on screen) and say why.</summary>
    public void LeaveIdle(TimeSpan limit)
    {
        if (tenant.OrganizationId is { } organizationId)
        {
            door.Leave();
            navigation.NavigateTo($"/left-organization?organization={organizationId}&minutes={(int)limit.TotalMinutes}");
        }
    }

    public void Leave() => door.Leave();

    public void SignOut() => door.SignOut();

    /// <summary>
    /// The address of the request that opened this tab (a circuit has no HttpContext of its own), unless its connection
    /// already said where it comes from.
    /// </summary>
    public void AddressOfOpening(string? address)
    {
        if (tenant.ClientIp is null && address is not null)
        {
            door.Readdress(address);
        }
    }

    /// <summary>The circuit's connection came up from <paramref name="address"/>: the allow-list binds the address in use now.</summary>
    public void Readdress(string address) => door.Readdress(address);

    /// <summary>A circuit already rendered got its connection back (<see cref="CircuitGate"/>): it re-enters its organization.</summary>
    internal async Task ReconnectAsync()
    {
        if (Reconnected is { } reconnected)
        {
            await reconnected();
        }
    }

    public void Dispose() => tenant.Changed -= RememberOrganization;

    /// <summary>Keeps the persisted organization in step with the tenant (never an impersonated one: that resumes from its session).</summary>
    private void RememberOrganization() =>
        persisted.OrganizationId = tenant.Impersonation is null ? tenant.OrganizationId : null;
}

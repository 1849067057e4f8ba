using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Web.Components.Account;

namespace MultiOrg.Web.Security;

/// <summary>
/// A circuit whose connection comes up (a new or resumed circuit before its first render, a reconnected one before its
/// pending renders go out) is checked again: the person's security stamp and session now, not at the next 30-second
/// revalidation; the address it connects from now, for the allow-list; then the layout re-enters its organization and
/// re-checks the idle time the tab had (<see cref="Reconnected"/>).
/// </summary>
internal sealed class CircuitGate(IHttpContextAccessor http, TenantContext tenant, AuthenticationStateProvider authentication) : CircuitHandler
{
    /// <summary>Raised on the circuit's dispatcher for a circuit that was already rendered (a reconnect).</summary>
    public event Func<Task>? Reconnected;

    public override async Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        // The hub connection's own request: after a move to another network or server this is the address now in use,
        // where the page's first load passed the address of its own time.
        if (http.HttpContext?.Connection.RemoteIpAddress is { } address)
        {
            tenant.ClientIp = address.ToString();
        }

        if (authentication is IdentityRevalidatingAuthenticationStateProvider identity && !await identity.RevalidateNowAsync(cancellationToken))
        {
            tenant.SetUser(null);
            return;
        }

        if (Reconnected is { } reconnected)
        {
            await reconnected();
        }
    }
}

using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using MultiOrg.Web.Components.Account;

namespace MultiOrg.Web.Features.Security;

/// <summary>
/// A circuit whose connection comes up (a new or resumed circuit before its first render, a reconnected one before its
/// pending renders go out) is checked again: the person's security stamp and session now, not at the next 30-second
/// revalidation; the address it connects from now, for the allow-list; then the layout re-enters its organization and
/// re-checks the idle time the tab had (<see cref="Doors.CircuitDoor.Reconnected"/>).
/// </summary>
internal sealed class CircuitGate(IHttpContextAccessor http, Doors.CircuitDoor door, AuthenticationStateProvider authentication) : CircuitHandler
{
    public override async Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        // The hub connection's own request: after a move to another network or server this is the address now in use,
        // where the page's first load passed the address of its own time.
        if (http.HttpContext?.Connection.RemoteIpAddress is { } address)
        {
            door.Readdress(address.ToString());
        }

        if (authentication is IdentityRevalidatingAuthenticationStateProvider identity && !await identity.RevalidateNowAsync(cancellationToken))
        {
            door.SignOut();
            return;
        }

        await door.ReconnectAsync();
    }
}

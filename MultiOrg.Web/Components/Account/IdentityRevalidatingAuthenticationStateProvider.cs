using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MultiOrg.Domain.Users;

namespace MultiOrg.Web.Components.Account;

// This is a server-side AuthenticationStateProvider that revalidates the security stamp and the stored session of the
// connected user every 30 seconds an interactive circuit is connected, so "sign out everywhere" and a session ended from
// another browser close open tabs within a minute (one indexed read per tab and half minute).
internal sealed class IdentityRevalidatingAuthenticationStateProvider(
        ILoggerFactory loggerFactory,
        IServiceScopeFactory scopeFactory,
        IOptions<IdentityOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    /// <summary>
    /// Checks the circuit's person now rather than at the next interval (a circuit resumed or reconnected); a person who no
    /// longer checks out is signed out of the circuit before anything renders for them.
    /// </summary>
    public async Task<bool> RevalidateNowAsync(CancellationToken cancellationToken)
    {
        var state = await GetAuthenticationStateAsync();
        if (state.User.Identity?.IsAuthenticated != true || await ValidateAuthenticationStateAsync(state, cancellationToken))
        {
            return true;
        }

        SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
        return false;
    }

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        // Get the user manager from a new scope to ensure it fetches fresh data
        await using var scope = scopeFactory.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (!await ValidateSecurityStampAsync(userManager, authenticationState.User))
        {
            return false;
        }

        var principal = authenticationState.User;
        return MultiOrg.Web.Features.Security.SessionCookies.SessionOf(principal) is not { } sessionId
            || principal.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId
            || await scope.ServiceProvider.GetRequiredService<MultiOrg.Domain.Security.SessionService>().IsActiveAsync(sessionId, userId, null, cancellationToken);
    }

    private async Task<bool> ValidateSecurityStampAsync(UserManager<AppUser> userManager, ClaimsPrincipal principal)
    {
        var user = await userManager.GetUserAsync(principal);
        if (user is null)
        {
            return false;
        }
        else if (!userManager.SupportsUserSecurityStamp)
        {
            return true;
        }
        else
        {
            var principalStamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
            var userStamp = await userManager.GetSecurityStampAsync(user);
            return principalStamp == userStamp;
        }
    }
}

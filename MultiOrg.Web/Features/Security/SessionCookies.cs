using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using MultiOrg.Domain.Security;
using MultiOrg.Web.Features.SingleSignOn;

namespace MultiOrg.Web.Features.Security;

/// <summary>
/// Ties Identity's sign-in cookie to a stored <see cref="UserSession"/>: signing in starts one (its id rides in the
/// cookie), each request checks it is still active, signing out ends it. A session ended elsewhere (the person's
/// session list, an admin's "sign out everywhere") stops the cookie at its next request on any server.
/// </summary>
public static class SessionCookies
{
    public const string ClaimType = "multiorg:session";

    public static Guid? SessionOf(ClaimsPrincipal? principal) =>
        Guid.TryParse(principal?.FindFirstValue(ClaimType), out var id) ? id : null;

    public static void Configure(CookieAuthenticationOptions options)
    {
        var validateStamp = options.Events.OnValidatePrincipal;
        options.Events.OnValidatePrincipal = async context =>
        {
            await validateStamp(context);
            if (context.Principal is not null)
            {
                await ValidateAsync(context);
            }
        };
        options.Events.OnSigningIn = SigningInAsync;
        options.Events.OnSigningOut = SigningOutAsync;
    }

    /// <summary>Identity re-creates the principal when it re-checks the security stamp: the session id goes along.</summary>
    public static void KeepSessionOnRefresh(SecurityStampValidatorOptions options) =>
        options.OnRefreshingPrincipal = context =>
        {
            if (context.CurrentPrincipal?.FindFirst(ClaimType) is { } session && context.NewPrincipal?.Identity is ClaimsIdentity identity
                && identity.FindFirst(ClaimType) is null)
            {
                identity.AddClaim(new Claim(ClaimType, session.Value));
            }

            if (context.NewPrincipal?.Identity is ClaimsIdentity refreshed)
            {
                SsoPassMarks.Carry(context.CurrentPrincipal, refreshed);
            }

            return Task.CompletedTask;
        };

    private static async Task SigningInAsync(CookieSigningInContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity || identity.FindFirst(ClaimType) is not null
            || identity.FindFirst(ClaimTypes.NameIdentifier)?.Value is not { } userId)
        {
            return;
        }

        // A refreshed sign-in (after a password change, say) keeps the browser's session instead of starting another.
        var current = context.HttpContext.User;
        var existing = current.FindFirstValue(ClaimTypes.NameIdentifier) == userId ? SessionOf(current) : null;
        var sessionId = existing ?? await context.HttpContext.RequestServices.GetRequiredService<SessionService>().StartAsync(
            userId, context.HttpContext.Request.Headers.UserAgent.ToString(), context.HttpContext.Connection.RemoteIpAddress?.ToString(),
            context.HttpContext.RequestAborted);
        identity.AddClaim(new Claim(ClaimType, sessionId.ToString()));
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        // Cookies issued before sessions were stored carry no id: they stay valid until they expire or the stamp changes.
        if (SessionOf(context.Principal) is not { } sessionId || context.Principal!.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
        {
            return;
        }

        var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionService>();
        if (!await sessions.IsActiveAsync(sessionId, userId, context.HttpContext.Connection.RemoteIpAddress?.ToString(), context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }

    private static async Task SigningOutAsync(CookieSigningOutContext context)
    {
        if (SessionOf(context.HttpContext.User) is { } sessionId && context.HttpContext.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
        {
            await context.HttpContext.RequestServices.GetRequiredService<SessionService>().EndAsync(sessionId, userId, context.HttpContext.RequestAborted);
        }
    }
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Domain.Users;

namespace MultiOrg.Web.Features.SingleSignOn;

/// <summary>
/// Identity's sign-in manager, refusing every sign-in of its own (password, passkey, two-factor step, the API's token
/// login) for a member at a domain whose organization requires single sign-on (see <see cref="SsoLookup.RequiredForAsync"/>). Sign-in through the provider does not pass here.
/// The sign-in page and the API check first, to say why; this is the rule for any door that does not.
/// </summary>
public sealed partial class SsoSignInManager(
    UserManager<AppUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<AppUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation,
    SsoLookup lookup,
    BreakGlassSignIn breakGlass)
    : SignInManager<AppUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    /// <summary>
    /// The assistant's OAuth resource scheme (the MCP SDK's, which always carries a display name) authenticates tokens;
    /// it is no place a person signs in at, so the sign-in and account pages never offer it.
    /// </summary>
    public override async Task<IEnumerable<AuthenticationScheme>> GetExternalAuthenticationSchemesAsync() =>
        (await base.GetExternalAuthenticationSchemesAsync())
            .Where(s => s.Name != ModelContextProtocol.AspNetCore.Authentication.McpAuthenticationDefaults.AuthenticationScheme)
            .ToList();

    public override async Task<bool> CanSignInAsync(AppUser user)
    {
        if (await lookup.RequiredForAsync(user) is not null)
        {
            LogRefused(Logger);
            return false;
        }

        return await base.CanSignInAsync(user);
    }

    private bool refreshing;

    /// <summary>A refresh re-issues the cookie of a session that exists (password change, profile edit): not a new sign-in.</summary>
    public override async Task RefreshSignInAsync(AppUser user)
    {
        refreshing = true;
        try
        {
            await base.RefreshSignInAsync(user);
        }
        finally
        {
            refreshing = false;
        }
    }

    /// <summary>
    /// Every sign-in ends here. One that passed the second factor (Identity adds <c>amr=mfa</c>) may be the break-glass
    /// owner's way around the provider: that one is audited and mailed to every owner before the session starts.
    /// </summary>
    public override async Task SignInWithClaimsAsync(AppUser user, AuthenticationProperties? authenticationProperties, IEnumerable<System.Security.Claims.Claim> additionalClaims)
    {
        var claims = additionalClaims as IReadOnlyCollection<System.Security.Claims.Claim> ?? [.. additionalClaims];
        if (!refreshing && claims.Any(c => c.Type == "amr" && c.Value == "mfa") && await breakGlass.RecordAsync(user))
        {
            LogBreakGlass(Logger, user.Id);
        }

        await base.SignInWithClaimsAsync(user, authenticationProperties, claims);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Break-glass sign-in: owner {UserId} signed in with password and two-factor where single sign-on is required; owners mailed")]
    private static partial void LogBreakGlass(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in refused: the account is a member at a domain whose organization requires single sign-on")]
    private static partial void LogRefused(ILogger logger);
}

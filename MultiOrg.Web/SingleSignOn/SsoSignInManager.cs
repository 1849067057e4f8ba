using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Domain.Users;

namespace MultiOrg.Web.SingleSignOn;

/// <summary>
/// Identity's sign-in manager, refusing every sign-in of its own (password, passkey, two-factor step, the API's token
/// login) for a member at a domain whose organization requires single sign-on (see <see cref="SsoDirectory.RequiredForAsync"/>). Sign-in through the provider does not pass here.
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
    SsoDirectory directory)
    : SignInManager<AppUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(AppUser user)
    {
        if (await directory.RequiredForAsync(user) is not null)
        {
            LogRefused(Logger);
            return false;
        }

        return await base.CanSignInAsync(user);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in refused: the account is a member at a domain whose organization requires single sign-on")]
    private static partial void LogRefused(ILogger logger);
}

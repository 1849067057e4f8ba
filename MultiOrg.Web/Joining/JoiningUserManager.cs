using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MultiOrg.Domain.Joining;
using MultiOrg.Domain.Users;

namespace MultiOrg.Web.Joining;

/// <summary>
/// Identity's user manager, plus domain auto-join: whenever an address is confirmed (the confirmation page, a changed
/// email, the API's confirm endpoint), the organizations that verified its domain take the person in or get a request.
/// </summary>
public sealed class JoiningUserManager(
    IUserStore<AppUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<AppUser> passwordHasher,
    IEnumerable<IUserValidator<AppUser>> userValidators,
    IEnumerable<IPasswordValidator<AppUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<AppUser>> logger,
    DomainAutoJoin autoJoin)
    : UserManager<AppUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public override async Task<IdentityResult> ConfirmEmailAsync(AppUser user, string token)
    {
        var result = await base.ConfirmEmailAsync(user, token);
        if (result.Succeeded)
        {
            await autoJoin.OnEmailConfirmedAsync(user.Id);
        }

        return result;
    }

    public override async Task<IdentityResult> ChangeEmailAsync(AppUser user, string newEmail, string token)
    {
        var result = await base.ChangeEmailAsync(user, newEmail, token);
        if (result.Succeeded)
        {
            await autoJoin.OnEmailConfirmedAsync(user.Id);
        }

        return result;
    }
}

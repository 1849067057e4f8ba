using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MultiOrg.Domain.Joining;
using MultiOrg.Domain.Users;

namespace MultiOrg.Web.Features.Joining;

/// <summary>
/// Identity's user manager, plus domain auto-join: whenever an address is confirmed (the confirmation page, a changed
/// email, the API's confirm endpoint), the organizations that verified its domain take the person in or get a request.
/// It also notes when a password was set, so an organization whose password rules became stricter since can ask for a
/// new one.
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
    DomainAutoJoin autoJoin,
    TimeProvider time)
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

    public override Task<IdentityResult> CreateAsync(AppUser user, string password) =>
        StampingPasswordAsync(user, () => base.CreateAsync(user, password));

    public override Task<IdentityResult> ChangePasswordAsync(AppUser user, string currentPassword, string newPassword) =>
        StampingPasswordAsync(user, () => base.ChangePasswordAsync(user, currentPassword, newPassword));

    public override Task<IdentityResult> ResetPasswordAsync(AppUser user, string token, string newPassword) =>
        StampingPasswordAsync(user, () => base.ResetPasswordAsync(user, token, newPassword));

    public override Task<IdentityResult> AddPasswordAsync(AppUser user, string password) =>
        StampingPasswordAsync(user, () => base.AddPasswordAsync(user, password));

    /// <summary>Identity saves the user once the new hash is set; the time goes into that same save, and back if it fails.</summary>
    private async Task<IdentityResult> StampingPasswordAsync(AppUser user, Func<Task<IdentityResult>> setPassword)
    {
        var before = user.PasswordChangedAt;
        user.PasswordChangedAt = time.GetUtcNow().UtcDateTime;
        var result = await setPassword();
        if (!result.Succeeded)
        {
            user.PasswordChangedAt = before;
        }

        return result;
    }
}

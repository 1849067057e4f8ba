using Microsoft.AspNetCore.Identity;
using MultiOrg.Domain.Security;
using MultiOrg.Domain.Users;

namespace MultiOrg.Web.Features.Security;

/// <summary>
/// Identity's password check, plus the rules of the organizations the person belongs to: a password is one per person,
/// so it must meet the strictest of them (a new account belongs to none yet and meets the application's own rules).
/// </summary>
public sealed class OrganizationPasswordValidator(SecurityLookup lookup) : IPasswordValidator<AppUser>
{
    public async Task<IdentityResult> ValidateAsync(UserManager<AppUser> manager, AppUser user, string? password)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (string.IsNullOrEmpty(user.Id) || password is null)
        {
            return IdentityResult.Success;
        }

        var rules = await lookup.PasswordRulesForAsync(user.Id);
        if (rules.Organizations.Count == 0)
        {
            return IdentityResult.Success;
        }

        var required = string.Join(", ", rules.Organizations);
        var errors = new List<IdentityError>();
        if (password.Length < rules.MinLength)
        {
            errors.Add(new IdentityError { Code = "OrganizationPasswordTooShort", Description = $"Passwords must be at least {rules.MinLength} characters ({required})." });
        }

        if (rules.RequireDigit && !password.Any(char.IsDigit))
        {
            errors.Add(new IdentityError { Code = "OrganizationPasswordRequiresDigit", Description = $"Passwords must contain a digit ({required})." });
        }

        if (rules.RequireUpperAndLower && !(password.Any(char.IsUpper) && password.Any(char.IsLower)))
        {
            errors.Add(new IdentityError { Code = "OrganizationPasswordRequiresCase", Description = $"Passwords must contain upper- and lower-case letters ({required})." });
        }

        if (rules.RequireSymbol && password.All(char.IsLetterOrDigit))
        {
            errors.Add(new IdentityError { Code = "OrganizationPasswordRequiresSymbol", Description = $"Passwords must contain a symbol such as ! or # ({required})." });
        }

        return errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]);
    }
}

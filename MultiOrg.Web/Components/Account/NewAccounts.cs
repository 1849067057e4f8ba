using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using MultiOrg.Domain.Users;

namespace MultiOrg.Web.Components.Account;

/// <summary>
/// The scaffold's steps of a new account that registration and a first external sign-in share: the user named by their
/// address (not yet saved), and the mail that confirms the address.
/// </summary>
public sealed class NewAccounts(
    UserManager<AppUser> userManager, IUserStore<AppUser> userStore, IEmailSender<AppUser> emailSender, NavigationManager navigation)
{
    public async Task<AppUser> NamedAsync(string email)
    {
        if (!userManager.SupportsUserEmail)
        {
            throw new NotSupportedException("The default UI requires a user store with email support.");
        }

        var user = new AppUser();
        await userStore.SetUserNameAsync(user, email, CancellationToken.None);
        await ((IUserEmailStore<AppUser>)userStore).SetEmailAsync(user, email, CancellationToken.None);
        return user;
    }

    public async Task SendConfirmationLinkAsync(AppUser user, string email, string? returnUrl)
    {
        var userId = await userManager.GetUserIdAsync(user);
        var code = await userManager.GenerateEmailConfirmationTokenAsync(user);
        code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(code));
        var callbackUrl = navigation.GetUriWithQueryParameters(
            navigation.ToAbsoluteUri("Account/ConfirmEmail").AbsoluteUri,
            new Dictionary<string, object?> { ["userId"] = userId, ["code"] = code, ["returnUrl"] = returnUrl });
        await emailSender.SendConfirmationLinkAsync(user, email, HtmlEncoder.Default.Encode(callbackUrl));
    }
}

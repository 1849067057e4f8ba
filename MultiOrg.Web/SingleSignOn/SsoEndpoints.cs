using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Domain.Users;
using MultiOrg.Web.Security;

namespace MultiOrg.Web.SingleSignOn;

/// <summary>
/// The two steps of a sign-in through an organization's provider around the OpenID Connect handler: <c>Start</c> finds
/// the provider of the address, checks it answers, and sends the person there; <c>Complete</c> takes what the provider
/// vouched for from the external cookie, finds or creates the account, makes it a member (just in time) and signs it in.
/// Anything wrong ends on <c>/Account/Sso/Error</c> with nobody signed in.
/// </summary>
public static partial class SsoEndpoints
{
    public static void MapSingleSignOn(this IEndpointRouteBuilder endpoints)
    {
        var sso = endpoints.MapGroup("/Account/Sso").ExcludeFromDescription();
        sso.MapGet("/Start", StartAsync).RequireRateLimiting(Hosting.RateLimits.SsoStart);
        sso.MapGet("/Complete", CompleteAsync);

        // A provider's return to an organization whose single sign-on was turned off meanwhile: no handler takes it.
        endpoints.MapGet("/signin-sso/{organization}", () => Results.Redirect(SsoFailure.PagePath(SsoErrors.NoProvider))).ExcludeFromDescription();
    }

    private static async Task<IResult> StartAsync(
        string? email, string? returnUrl, SsoDirectory directory, SsoClients clients, IOptionsMonitor<OpenIdConnectOptions> handlerOptions,
        ILoggerFactory loggers, CancellationToken ct)
    {
        var route = await directory.FindForEmailAsync(email, ct);
        if (route is null || await clients.LoadAsync(route.OrganizationId, ct) is not { } current)
        {
            return Results.Redirect(SsoFailure.PagePath(SsoErrors.NoProvider));
        }

        // The handler would fetch the provider's discovery document during the challenge and fail with a 500 when it
        // cannot; asking first turns an unreachable or misconfigured provider into the error page.
        try
        {
            var options = handlerOptions.Get(current.Scheme);
            await options.ConfigurationManager!.GetConfigurationAsync(ct);
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException or TaskCanceledException)
        {
            LogUnreachable(loggers.CreateLogger(typeof(SsoEndpoints)), route.OrganizationName, current.Client.Authority, e.GetType().Name);
            return Results.Redirect(SsoFailure.PagePath(SsoFailure.Unreachable));
        }

        var complete = "/Account/Sso/Complete" + (ReturnUrls.LocalOnly(returnUrl) is { } local ? $"?returnUrl={Uri.EscapeDataString(local)}" : "");
        var properties = new AuthenticationProperties { RedirectUri = complete };
        properties.Items[SsoOpenIdConnectOptions.OrganizationItem] = route.OrganizationId.ToString("N");
        properties.Items[SsoOpenIdConnectOptions.LoginHintItem] = email?.Trim();
        return Results.Challenge(properties, [current.Scheme]);
    }

    private static async Task<IResult> CompleteAsync(
        HttpContext http, string? returnUrl, SsoClients clients, SsoDirectory directory, SsoProvisioning provisioning, UserManager<AppUser> users,
        SignInManager<AppUser> signIn, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(SsoEndpoints));
        var external = await http.AuthenticateAsync(IdentityConstants.ExternalScheme);
        await http.SignOutAsync(IdentityConstants.ExternalScheme);
        if (!external.Succeeded || external.Properties?.Items.TryGetValue(SsoOpenIdConnectOptions.OrganizationItem, out var organizationText) != true
            || !Guid.TryParseExact(organizationText, "N", out var organizationId))
        {
            return Results.Redirect(SsoFailure.PagePath(SsoFailure.Failed));
        }

        if (await clients.LoadAsync(organizationId, ct) is not { } current)
        {
            return Results.Redirect(SsoFailure.PagePath(SsoErrors.NoProvider));
        }

        var client = current.Client;
        var principal = external.Principal!;
        var subject = principal.FindFirstValue("sub");
        var email = principal.FindFirstValue("email")?.Trim();
        if (string.IsNullOrEmpty(subject) || string.IsNullOrEmpty(email))
        {
            return Results.Redirect(SsoFailure.PagePath(SsoErrors.NoEmail));
        }

        // The provider vouches only for the organization's own domains, and only for an address it has verified.
        if (!client.Domains.Contains(EmailAddresses.DomainOf(email)) || principal.FindFirstValue("email_verified") is "false" or "False")
        {
            LogWrongDomain(logger, client.OrganizationName);
            return Results.Redirect(SsoFailure.PagePath(SsoErrors.WrongDomain));
        }

        var loginProvider = SsoSchemes.LoginProvider(organizationId);
        var user = await users.FindByLoginAsync(loginProvider, subject);
        var created = false;
        UserLoginInfo? linked = null;
        if (user is null)
        {
            user = await users.FindByEmailAsync(email);
            if (user is not null && !await MayLinkAsync(http, users, directory, user, organizationId, ct))
            {
                LogAccountExists(logger, client.OrganizationName);
                return Results.Redirect(SsoFailure.PagePath(SsoErrors.AccountExists));
            }

            if (user is null)
            {
                user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = DisplayName(principal) };
                if (!(await users.CreateAsync(user)).Succeeded)
                {
                    return Results.Redirect(SsoFailure.PagePath(SsoFailure.Failed));
                }

                created = true;
            }

            var login = new UserLoginInfo(loginProvider, subject, client.OrganizationName);
            if (!(await users.AddLoginAsync(user, login)).Succeeded)
            {
                return await UndoAsync(users, user, created, null, SsoFailure.Failed);
            }

            linked = login;
        }

        if (await users.IsLockedOutAsync(user))
        {
            return await UndoAsync(users, user, created, linked, SsoErrors.LockedOut);
        }

        try
        {
            await provisioning.JoinAsync(user.Id, client, ct);
        }
        catch (DomainException e) when (e.Kind == DomainErrorKind.Conflict)
        {
            // The seat limit: nothing of this sign-in stays, so a later one (after seats are added) starts clean.
            return await UndoAsync(users, user, created, linked, SsoErrors.SeatLimit);
        }

        if (!user.EmailConfirmed)
        {
            // The organization's provider vouched for an address at the organization's own verified domain.
            user.EmailConfirmed = true;
            await users.UpdateAsync(user);
        }

        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: "sso");
        return Results.LocalRedirect(ReturnUrls.LocalOnly(returnUrl) ?? "/");
    }

    /// <summary>
    /// An existing account is linked to the organization's provider only when the organization already has it as a member,
    /// or its owner is the one signed in right now. Otherwise whoever runs a provider for a domain could take over every
    /// account at that domain, including accounts that never joined the organization.
    /// </summary>
    private static async Task<bool> MayLinkAsync(HttpContext http, UserManager<AppUser> users, SsoDirectory directory, AppUser user, Guid organizationId, CancellationToken ct)
    {
        if (await directory.IsMemberAsync(user.Id, organizationId, ct))
        {
            return true;
        }

        var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        return session.Succeeded && users.GetUserId(session.Principal!) == user.Id;
    }

    /// <summary>Takes back what this sign-in wrote: the account it created, or the provider login it linked.</summary>
    private static async Task<IResult> UndoAsync(UserManager<AppUser> users, AppUser user, bool created, UserLoginInfo? linked, string reason)
    {
        if (created)
        {
            await users.DeleteAsync(user);
        }
        else if (linked is not null)
        {
            await users.RemoveLoginAsync(user, linked.LoginProvider, linked.ProviderKey);
        }

        return Results.Redirect(SsoFailure.PagePath(reason));
    }

    private static string? DisplayName(ClaimsPrincipal principal)
    {
        var name = principal.FindFirstValue("name")?.Trim();
        return string.IsNullOrEmpty(name) ? null : name[..Math.Min(name.Length, 100)];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Single sign-on for {Organization}: the provider at {Authority} did not answer ({ExceptionType})")]
    private static partial void LogUnreachable(ILogger logger, string organization, string authority, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Single sign-on for {Organization}: an account with the address exists outside the organization and is not the one signed in; not linked")]
    private static partial void LogAccountExists(ILogger logger, string organization);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Single sign-on for {Organization}: the provider vouched for an address outside the organization's domains, or an unverified one")]
    private static partial void LogWrongDomain(ILogger logger, string organization);
}

/// <summary>The error page's reasons beyond the provider's own failures.</summary>
public static class SsoErrors
{
    public const string NoProvider = "no-provider";
    public const string NoEmail = "no-email";
    public const string WrongDomain = "wrong-domain";
    public const string LockedOut = "locked-out";
    public const string SeatLimit = "seat-limit";
    public const string AccountExists = "account-exists";
}

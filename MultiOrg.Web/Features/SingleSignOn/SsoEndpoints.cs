using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Domain.Users;
using MultiOrg.Web.Email;
using MultiOrg.Web.Features.Security;
using MultiOrg.Web.Features.SingleSignOn.Saml;

namespace MultiOrg.Web.Features.SingleSignOn;

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
        sso.MapPost("/Connect", ConnectAsync);
        sso.MapPost("/StepUp/Continue", StepUpAsync);

        // A provider's return to an organization whose single sign-on was turned off meanwhile: no handler takes it.
        endpoints.MapGet("/signin-sso/{organization}", () => Results.Redirect(SsoFailure.PagePath(SsoErrors.NoProvider))).ExcludeFromDescription();
    }

    private static async Task<IResult> StartAsync(
        string? email, string? returnUrl, SsoLookup lookup, SsoClients clients, IOptionsMonitor<OpenIdConnectOptions> handlerOptions,
        SamlLookup saml, AppLinks links, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var complete = "/Account/Sso/Complete" + (ReturnUrls.LocalOnly(returnUrl) is { } local ? $"?returnUrl={Uri.EscapeDataString(local)}" : "");
        if (await SamlEndpoints.StartAsync(email, ReturnUrls.LocalOnly(returnUrl), lookup, saml, links, time, ct) is { } samlStart)
        {
            return samlStart;
        }

        return await ChallengeAsync(email, complete, connectingUserId: null, lookup, clients, handlerOptions, loggers, ct);
    }

    /// <summary>
    /// The signed-in holder's "connect" (a form post with the page's antiforgery token, so no other site can start it):
    /// the provider's answer may then be linked to this account, and only to it.
    /// </summary>
    private static async Task<IResult> ConnectAsync(
        HttpContext http, IAntiforgery antiforgery, UserManager<AppUser> users, SsoLookup lookup, SsoClients clients,
        IOptionsMonitor<OpenIdConnectOptions> handlerOptions, SamlLookup saml, AppLinks links, TimeProvider time, ILoggerFactory loggers,
        CancellationToken ct)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return Results.Redirect(SsoFailure.PagePath(SsoFailure.Failed));
        }

        var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!session.Succeeded || await users.GetUserAsync(session.Principal!) is not { } user)
        {
            return Results.Redirect("/Account/Login");
        }

        if (await SamlEndpoints.StartConnectAsync(user, lookup, saml, links, time, ct) is { } samlConnect)
        {
            return samlConnect;
        }

        var complete = "/Account/Sso/Complete?returnUrl=" + Uri.EscapeDataString("/Account/Manage/ExternalLogins");
        return await ChallengeAsync(user.Email, complete, user.Id, lookup, clients, handlerOptions, loggers, ct);
    }

    /// <summary>
    /// The step-up page's form (antiforgery, so no other site can start it): a signed-in member passes the organization's
    /// provider for this session; the answer must be this account's own provider sign-in, or is linked to it now.
    /// </summary>
    private static async Task<IResult> StepUpAsync(
        HttpContext http, IAntiforgery antiforgery, UserManager<AppUser> users, SsoLookup lookup, SsoClients clients,
        IOptionsMonitor<OpenIdConnectOptions> handlerOptions, ILoggerFactory loggers, CancellationToken ct)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return Results.Redirect(SsoFailure.PagePath(SsoFailure.Failed));
        }

        var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!session.Succeeded || users.GetUserId(session.Principal!) is not { } userId)
        {
            return Results.Redirect("/Account/Login");
        }

        var form = await http.Request.ReadFormAsync(ct);
        if (!Guid.TryParse(form["organizationId"], out var organizationId) || !await lookup.IsMemberAsync(userId, organizationId, ct)
            || await clients.LoadAsync(organizationId, ct) is not { } current)
        {
            return Results.Redirect(SsoFailure.PagePath(SsoErrors.NoProvider));
        }

        var back = ReturnUrls.LocalOnly(form["returnUrl"]) ?? $"/organizations/{organizationId}";
        var complete = "/Account/Sso/Complete?returnUrl=" + Uri.EscapeDataString(back);
        var route = new SsoRoute(organizationId, current.Client.OrganizationName, "", Required: true, current.Client.Version);
        return await ChallengeAsync(route, current, hint: null, complete, userId, stepUp: true, handlerOptions, loggers, ct);
    }

    private static async Task<IResult> ChallengeAsync(
        string? email, string complete, string? connectingUserId, SsoLookup lookup, SsoClients clients,
        IOptionsMonitor<OpenIdConnectOptions> handlerOptions, ILoggerFactory loggers, CancellationToken ct)
    {
        var route = await lookup.FindForEmailAsync(email, ct);
        if (route is null || await clients.LoadAsync(route.OrganizationId, ct) is not { } current)
        {
            return Results.Redirect(SsoFailure.PagePath(SsoErrors.NoProvider));
        }

        return await ChallengeAsync(route, current, email?.Trim(), complete, connectingUserId, stepUp: false, handlerOptions, loggers, ct);
    }

    private static async Task<IResult> ChallengeAsync(
        SsoRoute route, (string Scheme, SsoClient Client) current, string? hint, string complete, string? connectingUserId, bool stepUp,
        IOptionsMonitor<OpenIdConnectOptions> handlerOptions, ILoggerFactory loggers, CancellationToken ct)
    {

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

        // The properties travel in the handler's protected state: the provider's answer cannot change what was asked.
        var properties = new AuthenticationProperties { RedirectUri = complete };
        properties.Items[SsoOpenIdConnectOptions.OrganizationItem] = route.OrganizationId.ToString("N");
        properties.Items[SsoOpenIdConnectOptions.LoginHintItem] = hint;
        if (connectingUserId is not null)
        {
            properties.Items[ConnectItem] = connectingUserId;
        }

        if (stepUp)
        {
            properties.Items[StepUpItem] = "1";
        }

        return Results.Challenge(properties, [current.Scheme]);
    }

    private const string ConnectItem = "sso-connect";
    private const string StepUpItem = "sso-step-up";

    private static async Task<IResult> CompleteAsync(
        HttpContext http, string? returnUrl, SsoClients clients, SsoProvisioning provisioning, UserManager<AppUser> users,
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
        var subjectClaim = principal.FindFirst("sub");
        var email = principal.FindFirstValue("email")?.Trim();
        if (subjectClaim is not { Value.Length: > 0 } || string.IsNullOrEmpty(email))
        {
            return Results.Redirect(SsoFailure.PagePath(SsoErrors.NoEmail));
        }

        // The provider vouches only for the organization's own domains, and only for an address it marks verified.
        if (!client.Domains.Contains(EmailAddresses.DomainOf(email)) || !bool.TryParse(principal.FindFirstValue("email_verified"), out var verified) || !verified)
        {
            LogWrongDomain(logger, client.OrganizationName);
            return Results.Redirect(SsoFailure.PagePath(SsoErrors.WrongDomain));
        }

        // A connect counts only for the account that asked for it and is still the one signed in.
        string? connecting = null;
        if (external.Properties.Items.TryGetValue(ConnectItem, out var asked) && asked is not null)
        {
            var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
            connecting = session.Succeeded && users.GetUserId(session.Principal!) == asked ? asked : null;
        }

        var identity = new SsoIdentity(subjectClaim.Issuer, subjectClaim.Value, email);
        if (external.Properties.Items.ContainsKey(StepUpItem))
        {
            return await CompleteStepUpAsync(http, identity, client, connecting, returnUrl, provisioning, users, signIn, logger, ct);
        }

        return await ProvisionAndSignInAsync(identity, client, principal.FindFirstValue("name"), connecting, returnUrl, provisioning, users, signIn, logger, ct);
    }

    /// <summary>
    /// The end of every sign-in through a provider (OpenID Connect or SAML), once the provider's answer is verified: the
    /// account found or created, the link and the membership in one transaction (<see cref="SsoProvisioning"/>), then
    /// signed in; a refusal ends on the error page with nothing written.
    /// </summary>
    internal static async Task<IResult> ProvisionAndSignInAsync(
        SsoIdentity identity, SsoClient client, string? displayName, string? connecting, string? returnUrl, SsoProvisioning provisioning,
        UserManager<AppUser> users, SignInManager<AppUser> signIn, ILogger logger, CancellationToken ct)
    {
        var email = identity.Email;
        var newAccount = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = DisplayName(displayName) };
        newAccount.NormalizedEmail = users.NormalizeEmail(email);
        newAccount.NormalizedUserName = users.NormalizeName(email);
        // Identity's rules for a new account, except that the address is free: the provisioning decides that, in its
        // transaction, for the account it may create.
        foreach (var validator in users.UserValidators)
        {
            if ((await validator.ValidateAsync(users, newAccount)).Errors.Any(e => e.Code is not (nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName))))
            {
                return Results.Redirect(SsoFailure.PagePath(SsoFailure.Failed));
            }
        }

        var outcome = await provisioning.SignInAsync(identity, client, newAccount, connecting, ct);
        if (outcome.User is not { } user)
        {
            LogRefused(logger, client.OrganizationName, outcome.Refusal!.Value);
            return Results.Redirect(SsoFailure.PagePath(outcome.Refusal switch
            {
                SsoRefusal.LockedOut => SsoErrors.LockedOut,
                SsoRefusal.SeatLimit => SsoErrors.SeatLimit,
                SsoRefusal.OtherAddress => SsoErrors.OtherAddress,
                _ => SsoErrors.AccountExists,
            }));
        }

        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: "sso");
        return Results.LocalRedirect(ReturnUrls.LocalOnly(returnUrl) ?? "/");
    }

    /// <summary>A step-up that passed signs the same session in again, with this organization's mark added to those it had.</summary>
    private static async Task<IResult> CompleteStepUpAsync(
        HttpContext http, SsoIdentity identity, SsoClient client, string? connecting, string? returnUrl, SsoProvisioning provisioning,
        UserManager<AppUser> users, SignInManager<AppUser> signIn, ILogger logger, CancellationToken ct)
    {
        if (connecting is null || await users.FindByIdAsync(connecting) is not { } user)
        {
            return Results.Redirect(SsoFailure.PagePath(SsoFailure.Failed));
        }

        if (await provisioning.StepUpAsync(identity, client, user.Id, users.NormalizeEmail(identity.Email), ct) is { } refusal)
        {
            LogRefused(logger, client.OrganizationName, refusal);
            return Results.Redirect(SsoFailure.PagePath(refusal == SsoRefusal.LockedOut ? SsoErrors.LockedOut : SsoErrors.LinkedElsewhere));
        }

        var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var claims = new List<Claim> { SsoPassMarks.For(client.OrganizationId) };
        claims.AddRange(SsoPassMarks.From(session.Principal).Where(id => id != client.OrganizationId).Select(SsoPassMarks.For));
        await signIn.SignInWithClaimsAsync(user, new AuthenticationProperties { IsPersistent = session.Properties?.IsPersistent == true }, claims);
        return Results.LocalRedirect(ReturnUrls.LocalOnly(returnUrl) ?? $"/organizations/{client.OrganizationId}");
    }

    private static string? DisplayName(string? suggested)
    {
        // The provider's name is a suggestion: one with control or invisible characters is left out, not refused.
        var name = suggested?.Trim().Normalize(System.Text.NormalizationForm.FormC);
        return string.IsNullOrEmpty(name) || MultiOrg.Domain.Text.UserText.FirstForbidden(name) is not null
            ? null
            : name[..Math.Min(name.Length, AppUser.DisplayNameMaxLength)];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Single sign-on for {Organization}: the provider at {Authority} did not answer ({ExceptionType})")]
    private static partial void LogUnreachable(ILogger logger, string organization, string authority, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Single sign-on for {Organization}: refused ({Refusal}); nothing linked")]
    private static partial void LogRefused(ILogger logger, string organization, SsoRefusal refusal);

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
    public const string OtherAddress = "other-address";
    public const string LinkedElsewhere = "linked-elsewhere";
}

using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;
using MultiOrg.Web.Doors;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MultiOrg.Web.Features.Assistant;

/// <summary>
/// The authorization server's own steps (OpenIddict validated the request before they run): the authorization endpoint
/// sends the person to sign in and to the consent page, and issues the code on "Allow"; the token endpoint re-checks the
/// person before each code or refresh exchange. Registration (RFC 7591) is <see cref="AssistantClientRegistration"/>.
/// </summary>
public static class AssistantOAuthEndpoints
{
    public const string ConsentPage = "/Account/ConnectAssistant";

    public static void MapAssistantOAuth(this WebApplication app)
    {
        app.MapMethods(AssistantAuthorization.AuthorizePath, [HttpMethods.Get, HttpMethods.Post], (Delegate)AuthorizeAsync).ExcludeFromDescription();
        app.MapPost(AssistantAuthorization.TokenPath, (Delegate)ExchangeAsync).ExcludeFromDescription();
        AssistantClientRegistration.Map(app);
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OAuth request.");
        var resources = request.GetResources();
        if (resources.Length != 1 || AssistantAuthorization.OrganizationOfResource(http.Request, resources[0]) is not { } organizationId)
        {
            return Refuse(Errors.InvalidTarget, "Name one resource: this server's /mcp/{organization id} address.");
        }

        // prompt=none (OpenID Connect 3.1.2.1): no page at all, an error to the assistant instead; OpenIddict has already
        // refused none combined with another value.
        var silent = request.HasPromptValue(PromptValues.None);
        var signedIn = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!signedIn.Succeeded || signedIn.Principal.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
        {
            // After signing in, the person comes back here with the same request (a GET: the parameters are in its query).
            return silent
                ? Refuse(Errors.LoginRequired, "The person is not signed in to MultiOrg: ask again without prompt=none.")
                : Results.Challenge(new AuthenticationProperties { RedirectUri = http.Request.PathBase + http.Request.Path + QueryOf(request) }, [IdentityConstants.ApplicationScheme]);
        }

        if (silent)
        {
            return await SilentAsync(http, request, userId, organizationId, resources[0]);
        }

        if (!HttpMethods.IsPost(http.Request.Method))
        {
            return Results.Redirect(http.Request.PathBase + ConsentPage + QueryOf(request));
        }

        // The decision comes from the consent page's form: a page of this site shown to this person, not a link or form
        // another site made. Nothing goes to the assistant then: the decision was not the person's.
        if (!await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
        {
            return Results.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "The consent form could not be verified.",
                detail: "The consent form's antiforgery token is missing, expired or another person's, so no decision was taken. Start the connection again from your assistant.");
        }

        var form = await http.Request.ReadFormAsync();
        if (form["decision"] != "allow")
        {
            return Refuse(Errors.AccessDenied, "The person declined the connection.");
        }

        var services = http.RequestServices;
        var mine = await OrganizationsOfAsync(http, userId);
        var chosen = form["organization"].Select(v => Guid.TryParse(v, out var id) ? id : Guid.Empty).Append(organizationId).ToHashSet();
        if (!chosen.IsSubsetOf(mine))
        {
            return Refuse(Errors.AccessDenied, "The connection can only reach organizations the person belongs to.");
        }

        var users = services.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId) ?? throw new InvalidOperationException("The signed-in person has no account.");
        var stamp = await users.GetSecurityStampAsync(user);
        var principal = GrantPrincipal(userId, user.Email, stamp, [Scopes.OfflineAccess, .. chosen.Select(id => AssistantAuthorization.OrganizationScopePrefix + id)], resources[0]);
        var applicationId = await ApplicationIdAsync(http, request);
        var grants = services.GetRequiredService<IOpenIddictAuthorizationManager>();
        var descriptor = new OpenIddictAuthorizationDescriptor
        {
            ApplicationId = applicationId,
            Subject = userId,
            Type = AuthorizationTypes.Permanent,
            Status = Statuses.Valid,
            CreationDate = services.GetRequiredService<TimeProvider>().GetUtcNow(),
            Principal = principal,
        };
        descriptor.Scopes.UnionWith(principal.GetScopes());

        // The stamp of the moment of consent: prompt=none answers silently only while it is the person's stamp still.
        descriptor.Properties[AssistantGrants.StampClaim] = System.Text.Json.JsonSerializer.SerializeToElement(stamp);
        var grant = await grants.CreateAsync(descriptor, http.RequestAborted);
        principal.SetAuthorizationId(await grants.GetIdAsync(grant, http.RequestAborted));
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// prompt=none from a signed-in person: a code only within a standing grant of this client and person that covers the
    /// organization (decision 0021), with that grant's organizations; otherwise consent_required, as no page may be shown.
    /// </summary>
    private static async Task<IResult> SilentAsync(HttpContext http, OpenIddictRequest request, string userId, Guid organizationId, string resource)
    {
        var services = http.RequestServices;
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId) ?? throw new InvalidOperationException("The signed-in person has no account.");
        var stamp = await users.GetSecurityStampAsync(user);
        var standing = await services.GetRequiredService<AssistantGrants>()
            .StandingAsync(userId, await ApplicationIdAsync(http, request), organizationId, stamp, http.RequestAborted);
        if (standing is null || !(await OrganizationsOfAsync(http, userId)).Contains(organizationId))
        {
            return Refuse(Errors.ConsentRequired, "The person has not allowed this assistant in that organization (or the connection ended): ask again without prompt=none.");
        }

        var principal = GrantPrincipal(userId, user.Email, stamp, standing.Scopes, resource);
        principal.SetAuthorizationId(standing.Id);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>What a grant's tokens carry: the person, their stamp of the moment of consent, the organizations, one resource.</summary>
    private static ClaimsPrincipal GrantPrincipal(string userId, string? email, string? stamp, IEnumerable<string> scopes, string resource)
    {
        var identity = new ClaimsIdentity("AssistantGrant", Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, userId).SetClaim(Claims.Name, email).SetClaim(AssistantGrants.StampClaim, stamp);
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(scopes);
        principal.SetResources(resource);
        principal.SetAudiences(resource);
        principal.SetDestinations(_ => [Destinations.AccessToken]);
        return principal;
    }

    private static async Task<string> ApplicationIdAsync(HttpContext http, OpenIddictRequest request)
    {
        var applications = http.RequestServices.GetRequiredService<IOpenIddictApplicationManager>();
        var application = await applications.FindByClientIdAsync(request.ClientId!, http.RequestAborted)
            ?? throw new InvalidOperationException("OpenIddict validated a client it cannot find.");
        return await applications.GetIdAsync(application, http.RequestAborted) ?? throw new InvalidOperationException("A client without an id.");
    }

    private static async Task<HashSet<Guid>> OrganizationsOfAsync(HttpContext http, string userId)
    {
        http.RequestServices.GetRequiredService<OrganizationDoor>().AdmitPerson(http, userId);
        return (await http.RequestServices.GetRequiredService<OrganizationService>().ListMineAsync(http.RequestAborted)).Select(o => o.Id).ToHashSet();
    }

    /// <summary>A code or refresh token is exchanged only while its person still stands: same stamp, not locked out.</summary>
    private static async Task<IResult> ExchangeAsync(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OAuth request.");
        if (!request.IsAuthorizationCodeGrantType() && !request.IsRefreshTokenGrantType())
        {
            return Refuse(Errors.UnsupportedGrantType, "Only authorization codes and refresh tokens are exchanged here.");
        }

        var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var users = http.RequestServices.GetRequiredService<UserManager<AppUser>>();
        if (result.Principal is not { } principal || principal.GetClaim(Claims.Subject) is not { } userId
            || await users.FindByIdAsync(userId) is not { } user || await users.IsLockedOutAsync(user)
            || principal.GetClaim(AssistantGrants.StampClaim) != await users.GetSecurityStampAsync(user))
        {
            return Refuse(Errors.InvalidGrant, "The person behind this connection signed out everywhere, or is locked out or gone: connect again.");
        }

        principal.SetDestinations(_ => [Destinations.AccessToken]);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult Refuse(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    /// <summary>The request's OAuth parameters as a query string (a POSTed request's are in its form).</summary>
    public static string QueryOf(OpenIddictRequest request) => QueryString.Create(
        request.GetParameters()
            .Where(p => p.Key is not ("decision" or "organization" or "__RequestVerificationToken"))
            .SelectMany(p => ((Microsoft.Extensions.Primitives.StringValues)p.Value).Select(v => new KeyValuePair<string, string?>(p.Key, v)))).ToUriComponent();
}

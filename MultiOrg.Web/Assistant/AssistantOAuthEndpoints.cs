using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MultiOrg.Web.Assistant;

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

        var signedIn = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!signedIn.Succeeded || signedIn.Principal.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId)
        {
            // After signing in, the person comes back here with the same request (a GET: the parameters are in its query).
            return Results.Challenge(new AuthenticationProperties { RedirectUri = http.Request.PathBase + http.Request.Path + QueryOf(request) }, [IdentityConstants.ApplicationScheme]);
        }

        if (!HttpMethods.IsPost(http.Request.Method))
        {
            return Results.Redirect(http.Request.PathBase + ConsentPage + QueryOf(request));
        }

        // The decision comes from the consent page's form: a page of this site, not a link another site made.
        await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
        var form = await http.Request.ReadFormAsync();
        if (form["decision"] != "allow")
        {
            return Refuse(Errors.AccessDenied, "The person declined the connection.");
        }

        var services = http.RequestServices;
        var tenant = services.GetRequiredService<TenantContext>();
        tenant.SetUser(userId);
        tenant.Door = Door.Page;
        tenant.ClientIp = http.Connection.RemoteIpAddress?.ToString();
        var mine = (await services.GetRequiredService<OrganizationService>().ListMineAsync(http.RequestAborted)).Select(o => o.Id).ToHashSet();
        var chosen = form["organization"].Select(v => Guid.TryParse(v, out var id) ? id : Guid.Empty).Append(organizationId).ToHashSet();
        if (!chosen.IsSubsetOf(mine))
        {
            return Refuse(Errors.AccessDenied, "The connection can only reach organizations the person belongs to.");
        }

        var users = services.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId) ?? throw new InvalidOperationException("The signed-in person has no account.");
        var application = await services.GetRequiredService<IOpenIddictApplicationManager>().FindByClientIdAsync(request.ClientId!, http.RequestAborted)
            ?? throw new InvalidOperationException("OpenIddict validated a client it cannot find.");
        var identity = new ClaimsIdentity("AssistantGrant", Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, userId).SetClaim(Claims.Name, user.Email).SetClaim(AssistantGrants.StampClaim, await users.GetSecurityStampAsync(user));
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes([Scopes.OfflineAccess, .. chosen.Select(id => AssistantAuthorization.OrganizationScopePrefix + id)]);
        principal.SetResources(resources[0]);
        principal.SetAudiences(resources[0]);

        var grants = services.GetRequiredService<IOpenIddictAuthorizationManager>();
        var applicationId = await services.GetRequiredService<IOpenIddictApplicationManager>().GetIdAsync(application, http.RequestAborted);
        var grant = await grants.CreateAsync(principal, userId, applicationId!, AuthorizationTypes.Permanent, principal.GetScopes(), http.RequestAborted);
        principal.SetAuthorizationId(await grants.GetIdAsync(grant, http.RequestAborted));
        principal.SetDestinations(_ => [Destinations.AccessToken]);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
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

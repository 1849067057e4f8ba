using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;
using ModelContextProtocol.AspNetCore.Authentication;
using MultiOrg.Data;
using MultiOrg.Web.Hosting;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using MultiOrg.Web.Features.ApiKeys;
using MultiOrg.Web.Features.Security;

namespace MultiOrg.Web.Features.Assistant;

/// <summary>
/// MultiOrg as the OAuth 2.1 authorization server of its assistant connections (decision 0021): OpenIddict's server
/// (authorization code with PKCE S256, rotating refresh tokens, one <c>resource</c> per grant: <c>/mcp/{orgId}</c>),
/// its validation for <c>/mcp/{orgId}</c>, and the MCP SDK's scheme for the protected resource metadata and the 401
/// challenge. Tokens are Data Protection payloads: the keys are in the database, so every server reads them.
/// </summary>
public static class AssistantAuthorization
{
    /// <summary>The policy of <c>/mcp/{orgId}</c>: an assistant token issued for that URL, or that organization's API key.</summary>
    public const string Policy = "Assistant";

    /// <summary>Authenticates an assistant token and checks what OpenIddict cannot know: its resource and its person.</summary>
    public const string TokenScheme = "AssistantToken";

    public const string AuthorizePath = "/oauth/authorize";
    public const string TokenPath = "/oauth/token";
    public const string RegisterPath = "/oauth/register";

    /// <summary>A granted organization is one scope, <c>org:{id}</c>; the organization named by the resource is always one.</summary>
    public const string OrganizationScopePrefix = "org:";

    public static void AddAssistantAuthorization(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        // Plain http only where the app itself runs without TLS (development and the test host); a real address needs https.
        var allowHttp = builder.Configuration.GetValue("Assistant:OAuth:AllowHttp", !builder.Environment.IsProduction());
        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<MultiOrgDbContext>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris(AuthorizePath.TrimStart('/')).SetTokenEndpointUris(TokenPath.TrimStart('/'));

                // The issuer is the configured public address, never the request's Host header (which the caller
                // chooses); without the setting (development, tests: Production requires it) OpenIddict takes the request's.
                if (PublicAddress.Read(builder.Configuration) is { } issuer)
                {
                    server.SetIssuer(issuer);
                }

                server.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow().RequireProofKeyForCodeExchange();
                server.Configure(options => options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));
                server.SetAccessTokenLifetime(TimeSpan.FromHours(1)).SetRefreshTokenLifetime(TimeSpan.FromDays(30));

                // A refresh token works once, as the JSON API's (decision 0019): no leeway, a replay revokes the grant's tokens.
                server.SetRefreshTokenReuseLeeway(TimeSpan.Zero);

                // Resources and organizations are made at run time: the authorization endpoint checks the one resource
                // itself (this server's /mcp/{orgId}, an organization the person has), and the grant's scopes are chosen
                // on the consent page, never taken from the request.
                server.DisableResourceValidation().IgnoreResourcePermissions().DisableScopeValidation().IgnoreScopePermissions();
                server.RegisterScopes(Scopes.OfflineAccess);
                server.UseDataProtection();

                // Identity tokens are never issued (no openid scope) and tokens are Data Protection payloads; OpenIddict
                // still wants a signing and an encryption key to start. One pair per process, never stored.
                server.AddSigningKey(ProcessKeys.Signing.Value).AddEncryptionKey(ProcessKeys.Encryption.Value);
                var aspNet = server.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough();
                if (allowHttp)
                {
                    aspNet.DisableTransportSecurityRequirement();
                }

                server.AddEventHandler<OpenIddict.Server.OpenIddictServerEvents.HandleConfigurationRequestContext>(handler =>
                    handler.UseInlineHandler(context =>
                    {
                        // OpenIddict builds its endpoints' addresses from the request; every address here starts with the
                        // issuer. RFC 7591 registration: OpenIddict has none, AssistantClientRegistration is ours.
                        var issuer = new Uri(BaseOf(Microsoft.AspNetCore.OpenIddictServerAspNetCoreHelpers.GetHttpRequest(context.Transaction)!));
                        context.Issuer = issuer;
                        context.AuthorizationEndpoint = new Uri(issuer, AuthorizePath.TrimStart('/'));
                        context.TokenEndpoint = new Uri(issuer, TokenPath.TrimStart('/'));
                        context.Metadata["registration_endpoint"] = new Uri(issuer, RegisterPath.TrimStart('/')).AbsoluteUri;
                        return default;
                    }));
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseDataProtection();
                validation.UseAspNetCore();

                // A revoked grant stops its tokens at the next request, on every server (one read by key; the token
                // handler below checks the grant itself as well, so the rule does not hang on a validation option).
                validation.EnableAuthorizationEntryValidation();
                validation.EnableTokenEntryValidation();
            });

        services.AddScoped<AssistantGrants>();
        services.AddSettings<AssistantSettings>(AssistantSettings.Section);
        services.AddHostedService<AssistantClientPurgeJob>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AssistantTokenHandler>(TokenScheme, displayName: null, _ => { })
            .AddMcp(options =>
            {
                // The SDK's scheme answers /.well-known/oauth-protected-resource/mcp/{orgId} (RFC 9728) and challenges
                // with its address; it authenticates through the assistant token scheme.
                options.ForwardAuthenticate = TokenScheme;
                options.ResourceMetadata = new ModelContextProtocol.Authentication.ProtectedResourceMetadata
                {
                    BearerMethodsSupported = ["header"],
                    ResourceName = "MultiOrg organization",
                };
                options.Events.OnResourceMetadataRequest = context =>
                {
                    var path = context.HttpContext.Request.Path;
                    if (!path.StartsWithSegments("/.well-known/oauth-protected-resource/mcp", out var rest)
                        || !Guid.TryParse(rest.Value?.Trim('/'), out var organizationId))
                    {
                        context.SkipHandler();
                        return Task.CompletedTask;
                    }

                    var request = context.HttpContext.Request;
                    context.ResourceMetadata!.Resource = ResourceOf(request, organizationId);
                    context.ResourceMetadata.AuthorizationServers = [BaseOf(request)];
                    return Task.CompletedTask;
                };
            });
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(McpAuthenticationDefaults.AuthenticationScheme, ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser());
    }

    /// <summary>
    /// With <c>App:PublicBaseUrl</c> set, a request to <c>/mcp</c> is given the public address's scheme, host and path
    /// base before authentication: the MCP SDK builds its 401 challenge's <c>resource_metadata</c> link from the request,
    /// and the Host header is the caller's choice (with <c>AllowedHosts=*</c>, any), so the link would lead elsewhere.
    /// </summary>
    public static void UsePublicAddressForAssistant(this WebApplication app)
    {
        if (PublicAddress.Read(app.Configuration) is not { } address)
        {
            return;
        }

        var host = HostString.FromUriComponent(address.Authority); // no ":443" where the address names no port
        var pathBase = new PathString(address.AbsolutePath.TrimEnd('/'));
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/mcp"))
            {
                context.Request.Scheme = address.Scheme;
                context.Request.Host = host;
                context.Request.PathBase = pathBase;
            }

            return next(context);
        });
    }

    /// <summary>
    /// This server's address as its issuer and resources name it, ending with a slash: the configured public address
    /// (<c>App:PublicBaseUrl</c>), never the request's Host header; the request's only where the setting is not required.
    /// </summary>
    public static string BaseOf(HttpRequest request) =>
        PublicAddress.Read(request.HttpContext.RequestServices.GetRequiredService<IConfiguration>())?.AbsoluteUri
        ?? $"{request.Scheme}://{request.Host}{request.PathBase}/";

    /// <summary>The resource a token for this organization names: the absolute address of its assistant endpoint.</summary>
    public static string ResourceOf(HttpRequest request, Guid organizationId) => $"{BaseOf(request)}mcp/{organizationId}";

    /// <summary>The organization of a resource this server serves, or null for anything else.</summary>
    public static Guid? OrganizationOfResource(HttpRequest request, string? resource)
    {
        var prefix = $"{BaseOf(request)}mcp/";
        return resource is not null && resource.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && Guid.TryParse(resource.AsSpan(prefix.Length), out var id) && ResourceOf(request, id) == resource
            ? id
            : null;
    }

    public static IReadOnlySet<Guid> GrantedOrganizations(this ClaimsPrincipal principal) =>
        principal.FindAll(Claims.Private.Scope).Concat(principal.FindAll(Claims.Scope))
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(s => s.StartsWith(OrganizationScopePrefix, StringComparison.Ordinal))
            .Select(s => Guid.TryParse(s.AsSpan(OrganizationScopePrefix.Length), out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty)
            .ToHashSet();

    /// <summary>
    /// The keys OpenIddict's server needs to start, made once per process: generating a 2048-bit RSA key costs 0.1 to 0.5 s
    /// of CPU, and a process that hosts the app more than once (the test suite starts it about two hundred times) would
    /// pay it twice per start. Ephemeral as before: in memory only, each server its own.
    /// </summary>
    private static class ProcessKeys
    {
        public static readonly Lazy<RsaSecurityKey> Signing = new(() => new RsaSecurityKey(RSA.Create(2048)));

        public static readonly Lazy<RsaSecurityKey> Encryption = new(() => new RsaSecurityKey(RSA.Create(2048)));
    }
}

/// <summary>
/// An assistant token, accepted only on the <c>/mcp/{orgId}</c> it was issued for (its audience is that URL), only while
/// its grant stands (OpenIddict's check) and its person does: same security stamp, account present and not locked out.
/// A request with an API key or any other bearer token is left to the other schemes (the JSON API's sign-in tokens are
/// refused here: OpenIddict cannot read them).
/// </summary>
internal sealed class AssistantTokenHandler(
    Microsoft.Extensions.Options.IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    System.Text.Encodings.Web.UrlEncoder encoder,
    AccessTokenChecks checks)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The grant (OpenIddict authorization) a request's token belongs to.</summary>
    public const string GrantClaim = "mo:assistant_grant";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || ApiKeyAuthenticationHandler.ReadKey(Request) is not null)
        {
            return AuthenticateResult.NoResult();
        }

        var result = await Context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (!result.Succeeded || result.Principal is not { } token)
        {
            return AuthenticateResult.Fail("Not an assistant token of this server, or expired or revoked.");
        }

        if (!Guid.TryParse(Context.GetRouteValue("orgId") as string, out var organizationId)
            || !token.GetAudiences().Contains(AssistantAuthorization.ResourceOf(Request, organizationId)))
        {
            return AuthenticateResult.Fail("The assistant token was issued for another resource.");
        }

        if (token.FindFirst(Claims.Subject)?.Value is not { } userId
            || !await checks.IsCurrentAsync(new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.NameIdentifier, userId), .. token.FindAll(AssistantGrants.StampClaim).Select(c => new Claim("AspNet.Identity.SecurityStamp", c.Value))])), Context.RequestAborted))
        {
            return AuthenticateResult.Fail("The assistant token's person signed out everywhere, or is locked out or gone.");
        }

        // The grant is read at each request: revoked (by its person, an organization's OWNER or ADMIN, or a refresh
        // token's replay) stops its tokens at once on every server.
        var grantId = token.GetAuthorizationId();
        var grants = Context.RequestServices.GetRequiredService<IOpenIddictAuthorizationManager>();
        if (grantId is null || await grants.FindByIdAsync(grantId, Context.RequestAborted) is not { } grant
            || !await grants.HasStatusAsync(grant, Statuses.Valid, Context.RequestAborted))
        {
            return AuthenticateResult.Fail("The assistant connection was revoked.");
        }

        // The MCP SDK binds a session to the name identifier and its issuer: a session is its grant's alone.
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, userId, ClaimValueTypes.String, $"Assistant:{grantId}"),
                new Claim(GrantClaim, grantId),
                .. token.GetScopes().Select(scope => new Claim(Claims.Private.Scope, scope)),
            ],
            Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}

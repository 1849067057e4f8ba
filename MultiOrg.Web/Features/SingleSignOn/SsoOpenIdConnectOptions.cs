using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using MultiOrg.Domain.Security;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Web.Outbound;

namespace MultiOrg.Web.Features.SingleSignOn;

/// <summary>
/// Builds the OpenID Connect handler's options of one organization's scheme from its stored settings: authorization
/// code with PKCE, the code returned in the query, the person's claims from the ID token, the result held in Identity's
/// external cookie until <see cref="SsoEndpoints"/> signs the person in. Failures at the provider end on the error page.
/// </summary>
public sealed partial class SsoOpenIdConnectOptions(SsoClients clients, IHttpClientFactory httpClients, OutboundAddresses outbound, ILogger<SsoOpenIdConnectOptions> logger) : IConfigureNamedOptions<OpenIdConnectOptions>
{
    public const string OrganizationItem = "sso_organization";
    public const string LoginHintItem = "sso_login_hint";

    public void Configure(OpenIdConnectOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        if (!SsoSchemes.TryParse(name, out var organizationId, out _))
        {
            return;
        }

        // The scheme provider loads the settings before any handler of the scheme is made.
        var client = clients.Loaded(name!) ?? throw new InvalidOperationException($"The single sign-on settings of scheme {name} were not loaded.");
        options.SignInScheme = IdentityConstants.ExternalScheme;
        options.Authority = client.Authority;
        options.ClientId = client.ClientId;
        options.ClientSecret = client.ClientSecret;
        options.RequireHttpsMetadata = !SsoAuthority.AllowsHttp(client.Authority, outbound);
        options.CallbackPath = SsoAuthority.CallbackPath(organizationId);
        options.SignedOutCallbackPath = SsoAuthority.SignedOutCallbackPath(organizationId);
        options.RemoteSignOutPath = SsoAuthority.SignedOutCallbackPath(organizationId) + "/remote";
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.ResponseMode = OpenIdConnectResponseMode.Query;
        options.UsePkce = true;
        options.Scope.Clear();
        options.Scope.Add("openid");
        options.Scope.Add("email");
        options.Scope.Add("profile");
        options.MapInboundClaims = false;
        options.GetClaimsFromUserInfoEndpoint = false;
        options.SaveTokens = false;
        options.TokenValidationParameters.NameClaimType = "name";

        // Discovery, keys and tokens go to addresses the organization chose: only through the checked outbound client.
        options.Backchannel = httpClients.CreateClient(OutboundHttp.ClientName);
        options.BackchannelTimeout = OutboundHttp.Timeout;

        // The provider sends the person back with a top-level GET (response mode query), which Lax cookies survive;
        // Secure follows the request, so a plain-http loopback test provider works and https stays Secure.
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.NonceCookie.SameSite = SameSiteMode.Lax;
        options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;

        options.Events.OnRedirectToIdentityProvider = context =>
        {
            if (context.Properties.Items.TryGetValue(LoginHintItem, out var hint) && hint is not null)
            {
                context.ProtocolMessage.LoginHint = hint;
            }

            return Task.CompletedTask;
        };
        options.Events.OnRemoteFailure = context =>
        {
            var reason = SsoFailure.Classify(context.Failure);
            LogRemoteFailure(logger, client.OrganizationName, reason.Code, context.Failure?.GetType().Name ?? "none", context.Failure?.Message ?? "");
            context.Response.Redirect(SsoFailure.PagePath(reason.Code, reason.ProviderError));
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Single sign-on for {Organization} failed at the provider ({Reason}): {ExceptionType} {ExceptionMessage}")]
    private static partial void LogRemoteFailure(ILogger logger, string organization, string reason, string exceptionType, string exceptionMessage);
}

/// <summary>Why a sign-in through a provider did not happen, as a code the error page explains (never the raw exception).</summary>
public static partial class SsoFailure
{
    public const string Unreachable = "unreachable";
    public const string Rejected = "rejected";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";

    public static (string Code, string? ProviderError) Classify(Exception? failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or TaskCanceledException or System.Net.Sockets.SocketException)
            {
                return (Unreachable, null);
            }

            if (e is OpenIdConnectProtocolException protocol)
            {
                // "Message contains error: 'invalid_client', error_description: ..." — only the code is kept.
                var code = ProviderErrorCode().Match(protocol.Message);
                var error = code.Success ? code.Groups[1].Value : null;
                return (error is "access_denied" or "login_required" or "consent_required" ? Cancelled : Rejected, error);
            }
        }

        return (Failed, null);
    }

    public static string PagePath(string code, string? providerError = null) =>
        providerError is null ? $"/Account/Sso/Error?reason={code}" : $"/Account/Sso/Error?reason={code}&error={Uri.EscapeDataString(providerError)}";

    [GeneratedRegex("error: '([a-z_]{1,40})'", RegexOptions.CultureInvariant)]
    private static partial Regex ProviderErrorCode();
}

using NetEscapades.AspNetCore.SecurityHeaders.Infrastructure;
using MultiOrg.Web.Doors.Api;

namespace MultiOrg.Web.Hosting;

/// <summary>
/// Security headers on every response (NetEscapades.AspNetCore.SecurityHeaders): nosniff, a referrer policy, framing
/// refused, and a Content-Security-Policy under which Blazor Server, MudBlazor, the passkey script and the logos work.
/// </summary>
public static class SecurityHeaders
{
    private const string ApiReference = "api-reference";

    public static IServiceCollection AddMultiOrgSecurityHeaders(this IServiceCollection services) =>
        services.AddSecurityHeaderPolicies(policies => policies
            .SetDefaultPolicy(headers => Common(headers).AddContentSecurityPolicy(csp =>
            {
                csp.AddDefaultSrc().Self();

                // Scripts are files of this site; the one inline script, Blazor's import map, carries the response's nonce.
                csp.AddScriptSrc().Self().WithNonce();

                // MudBlazor writes style attributes and <style> elements (theme variables, popovers) as it renders.
                csp.AddStyleSrc().Self().UnsafeInline();

                // Logos come from this site; the authenticator QR code and uploaded previews are data: images.
                csp.AddImgSrc().Self().Data();
                csp.AddFontSrc().Self().Data();

                // Blazor's SignalR connection (WebSocket to the same origin) and the passkey script's requests.
                csp.AddConnectSrc().Self();
                csp.AddObjectSrc().None();
                csp.AddBaseUri().Self();
                csp.AddFrameAncestors().None();

                // No form-action: the single sign-on form redirects to the organization's own provider, another origin.
            }))

            // The API reference (Scalar) starts itself with an inline script and styles: only that page may run inline
            // script; it shows the public OpenAPI document and holds no session data of its own.
            .AddPolicy(ApiReference, headers => Common(headers).AddContentSecurityPolicy(csp =>
            {
                csp.AddDefaultSrc().Self();
                csp.AddScriptSrc().Self().UnsafeInline();
                csp.AddStyleSrc().Self().UnsafeInline();
                csp.AddImgSrc().Self().Data();
                csp.AddFontSrc().Self().Data();
                csp.AddConnectSrc().Self();
                csp.AddObjectSrc().None();
                csp.AddFrameAncestors().None();
            }))
            .SetPolicySelector(context => context.HttpContext.Request.Path.StartsWithSegments(OpenApiSetup.ReferencePath)
                ? context.ConfiguredPolicies[ApiReference]
                : context.DefaultPolicy));

    private static Microsoft.AspNetCore.Builder.HeaderPolicyCollection Common(Microsoft.AspNetCore.Builder.HeaderPolicyCollection headers) => headers
        .AddContentTypeOptionsNoSniff()
        .AddReferrerPolicyStrictOriginWhenCrossOrigin()
        .AddFrameOptionsDeny()
        .AddCrossOriginOpenerPolicy(policy => policy.SameOrigin());
}

using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Scim;

namespace MultiOrg.Web.Features.Scim;

/// <summary>
/// Accepts an organization's SCIM token (<c>Authorization: Bearer moscim_…</c>) on that organization's SCIM routes only
/// (the <c>orgId</c> route value). Only the SCIM endpoints name this scheme, and the default scheme never reads a SCIM
/// token as a person's credential, so the token reaches nothing else: not the JSON API, the assistant, pages or Identity.
/// Refusals are SCIM errors (401 with a Bearer challenge), which identity providers show to their administrators.
/// </summary>
public sealed class ScimTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ScimTokenService tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ScimToken";
    public const string Policy = "Scim";
    private const string TokenIdClaim = "mo:scim_token";
    private const string OrganizationClaim = "mo:organization";
    private const string RoleClaim = "mo:role";
    private const string NameClaim = "mo:scim_token_name";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authorization = Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        if (!Guid.TryParse(Context.GetRouteValue("orgId") as string, out var organizationId))
        {
            return AuthenticateResult.NoResult();
        }

        var identity = await tokens.AuthenticateAsync(authorization["Bearer ".Length..].Trim(), organizationId, Context.RequestAborted);
        if (identity is null)
        {
            return AuthenticateResult.Fail("The SCIM token is not valid for this organization, was revoked, or its creator is no longer an owner or admin.");
        }

        var claims = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, identity.CreatedByUserId, ClaimValueTypes.String, $"{SchemeName}:{identity.TokenId}"),
                new Claim(TokenIdClaim, identity.TokenId.ToString()),
                new Claim(OrganizationClaim, identity.OrganizationId.ToString()),
                new Claim(RoleClaim, identity.Role.ToApiName()),
                new Claim(NameClaim, identity.Name),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(claims), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer realm=\"scim\"";
        await ScimProtocol.ErrorResult(StatusCodes.Status401Unauthorized,
            "Send this organization's SCIM token as 'Authorization: Bearer moscim_…' (Settings → Security → Directory sync).").ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ScimProtocol.ErrorResult(StatusCodes.Status403Forbidden, "This SCIM token may not do that.").ExecuteAsync(Context);

    /// <summary>The identity the handler put on the principal.</summary>
    public static ScimTokenIdentity? FromPrincipal(ClaimsPrincipal user)
    {
        if (user.FindFirstValue(TokenIdClaim) is not { } tokenId)
        {
            return null;
        }

        var role = user.FindFirstValue(RoleClaim) == "OWNER" ? OrganizationRole.Owner : OrganizationRole.Admin;
        return new ScimTokenIdentity(
            Guid.Parse(tokenId), Guid.Parse(user.FindFirstValue(OrganizationClaim)!), role, user.FindFirstValue(ClaimTypes.NameIdentifier)!, user.FindFirstValue(NameClaim) ?? "");
    }
}

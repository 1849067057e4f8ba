using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MultiOrg.Domain.ApiKeys;
using MultiOrg.Domain.Organizations;

namespace MultiOrg.Web.Features.ApiKeys;

/// <summary>
/// Accepts an organization's API key as <c>X-Api-Key</c> or as <c>Authorization: Bearer mo_…</c>, on that organization's
/// routes only (the <c>orgId</c> route value): the organization API group and its assistant endpoint name this scheme,
/// no other endpoint does, and a key presented for another organization is treated as no credentials at all. A revoked,
/// expired or unknown key, or one whose creator lost access, fails at once (401). The key itself never reaches a log.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyService keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string KeyIdClaim = "mo:api_key";
    public const string OrganizationClaim = "mo:organization";
    public const string RoleClaim = "mo:role";
    public const string NameClaim = "mo:api_key_name";

    public static string? ReadKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-Api-Key", out var header) && !string.IsNullOrWhiteSpace(header))
        {
            return header.ToString().Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer " + ApiKeyService.KeyPrefix, StringComparison.Ordinal) ? authorization["Bearer ".Length..].Trim() : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = ReadKey(Request);
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }

        if (!Guid.TryParse(Context.GetRouteValue("orgId") as string, out var organizationId))
        {
            return AuthenticateResult.NoResult();
        }

        var identity = await keys.AuthenticateAsync(presented, organizationId, Context.RequestAborted);
        if (identity is null)
        {
            return AuthenticateResult.Fail("The API key is not valid here, or was revoked, or has expired, or its creator no longer has access.");
        }

        var claims = new ClaimsIdentity(
            [
                // The MCP SDK binds a session to the name identifier *and its issuer*: the key's own issuer makes an
                // assistant session opened with a key the key's alone, not its creator's or another of their keys'.
                new Claim(ClaimTypes.NameIdentifier, identity.CreatedByUserId, ClaimValueTypes.String, KeyIssuer(identity.KeyId)),
                new Claim(KeyIdClaim, identity.KeyId.ToString()),
                new Claim(OrganizationClaim, identity.OrganizationId.ToString()),
                new Claim(RoleClaim, identity.Role.ToApiName()),
                new Claim(NameClaim, identity.Name),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(claims), SchemeName));
    }

    private static string KeyIssuer(Guid keyId) => $"{SchemeName}:{keyId}";

    /// <summary>The identity the handler put on the principal, for the request's TenantContext.</summary>
    public static ApiKeyIdentity? FromPrincipal(ClaimsPrincipal user)
    {
        if (user.FindFirstValue(KeyIdClaim) is not { } keyId)
        {
            return null;
        }

        var role = user.FindFirstValue(RoleClaim) switch
        {
            "OWNER" => OrganizationRole.Owner,
            "ADMIN" => OrganizationRole.Admin,
            _ => OrganizationRole.Member,
        };
        return new ApiKeyIdentity(
            Guid.Parse(keyId),
            Guid.Parse(user.FindFirstValue(OrganizationClaim)!),
            role,
            user.FindFirstValue(ClaimTypes.NameIdentifier)!,
            user.FindFirstValue(NameClaim) ?? "");
    }
}

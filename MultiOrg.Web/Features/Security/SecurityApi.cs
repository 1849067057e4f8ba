using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Security;
using MultiOrg.Domain.SingleSignOn;
using MultiOrg.Web.Doors.Api;
using MultiOrg.Web.Features.SingleSignOn.Saml;

namespace MultiOrg.Web.Features.Security;

/// <summary>
/// The whole policy, as PUT sends it. Omitted booleans are false; an omitted idle timeout or retention means none / keep
/// forever, an omitted allow-list means everyone; <c>confirmExcludesMyAddress</c> saves a list your own address is not on.
/// </summary>
/// <summary>The break-glass owner's user id, or null for none.</summary>
public sealed record BreakGlassRequest(string? UserId);

public sealed record SecurityPolicyRequest(
    bool RequireTwoFactor,
    int? PasswordMinLength,
    bool PasswordRequireDigit,
    bool PasswordRequireUpperAndLower,
    bool PasswordRequireSymbol,
    int? IdleTimeoutMinutes,
    IReadOnlyList<string>? IpAllowList,
    int? AuditRetentionDays,
    bool ConfirmExcludesMyAddress);

/// <summary>The organization's security policies (OWNER and ADMIN) and its single sign-on (OWNER changes, ADMIN reads).</summary>
public static class SecurityApi
{
    public static void MapSecurityApi(this RouteGroupBuilder organization)
    {
        var security = organization.MapGroup("/security").WithTags("Security");
        security.MapGet("/", (Guid orgId, SecurityPolicyService service, CancellationToken ct) => service.GetAsync(ct)).RequirePermission(Permission.ViewSecurity)
            .WithSummary("The organization's security policies");
        security.MapPut("/", (Guid orgId, SecurityPolicyRequest request, SecurityPolicyService service, CancellationToken ct) =>
            service.UpdateAsync(
                new SecurityPolicyInput(
                    request.RequireTwoFactor,
                    request.PasswordMinLength ?? SecurityPolicy.MinPasswordLength,
                    request.PasswordRequireDigit,
                    request.PasswordRequireUpperAndLower,
                    request.PasswordRequireSymbol,
                    request.IdleTimeoutMinutes,
                    request.IpAllowList ?? [],
                    request.AuditRetentionDays,
                    request.ConfirmExcludesMyAddress),
                ct)).RequirePermission(Permission.ManageSecurity)
            .WithSummary("Set the security policies (OWNER, ADMIN; retention OWNER only)");

        // A shortening of audit retention waits out its notice period; until then any owner withdraws it here.
        security.MapDelete("/audit-retention/pending", (Guid orgId, SecurityPolicyService service, CancellationToken ct) => service.CancelPendingRetentionAsync(ct))
            .RequirePermission(Permission.ManageAuditRetention)
            .WithSummary("Cancels a shortening of audit retention that has not taken effect yet (owners).");

        var sso = organization.MapGroup("/sso").WithTags("Single sign-on");
        sso.MapGet("/", (Guid orgId, SingleSignOnService service, CancellationToken ct) => service.GetAsync(ct)).RequirePermission(Permission.ViewSecurity)
            .WithSummary("Single sign-on settings (never the client secret)");
        // The body is SsoSettingsInput: an omitted or empty clientSecret keeps the stored one, an omitted defaultRole is MEMBER;
        // the secret is never returned (only clientSecretSet and when it was set).
        sso.MapPut("/", (Guid orgId, SsoSettingsInput request, SingleSignOnService service, CancellationToken ct) => service.SaveAsync(request, ct)).RequirePermission(Permission.ManageSingleSignOn)
            .WithSummary("Set up or change single sign-on (OWNER)");
        // The owner who may sign in with password plus two-factor when the provider is down ({"userId": null} names nobody).
        sso.MapPut("/break-glass", (Guid orgId, BreakGlassRequest request, SingleSignOnService service, CancellationToken ct) =>
            service.SetBreakGlassOwnerAsync(request.UserId, ct)).RequirePermission(Permission.ManageSingleSignOn)
            .WithSummary("Name the break-glass owner, who keeps password plus two-factor when the provider is down (OWNER)");
        sso.MapDelete("/", async (Guid orgId, SingleSignOnService service, CancellationToken ct) =>
        {
            await service.RemoveAsync(ct);
            return TypedResults.NoContent();
        }).RequirePermission(Permission.ManageSingleSignOn)
            .WithSummary("Remove single sign-on (OWNER)");

        // SAML beside OpenID Connect, as on the Security page. The body is SamlSettingsInput: metadataXml is the IdP's
        // metadata; without it a metadataUrl is read (through the checked outbound client), and without either the stored
        // IdP stays. Saving SAML replaces an OpenID Connect provider (GET /sso says samlInUse, GET /saml openIdConnectInUse).
        var saml = organization.MapGroup("/saml").WithTags("Single sign-on");
        saml.MapGet("/", (Guid orgId, SamlSettingsService service, CancellationToken ct) => service.GetAsync(ct)).RequirePermission(Permission.ViewSecurity)
            .WithSummary("SAML 2.0 single sign-on settings, and the entity id, ACS address and certificate to give the IdP");
        saml.MapPut("/", async (Guid orgId, SamlSettingsInput request, SamlSettingsService service, SamlMetadataFetcher fetcher, CancellationToken ct) =>
            await service.SaveAsync(
                request.MetadataXml is null && !string.IsNullOrWhiteSpace(request.MetadataUrl) ? request with { MetadataXml = await fetcher.FetchAsync(request.MetadataUrl, ct) } : request,
                ct)).RequirePermission(Permission.ManageSingleSignOn)
            .WithSummary("Set up or change SAML 2.0 single sign-on from the IdP's metadata or its address (OWNER); replaces OpenID Connect");
        saml.MapDelete("/", async (Guid orgId, SamlSettingsService service, CancellationToken ct) =>
        {
            await service.RemoveAsync(ct);
            return TypedResults.NoContent();
        }).RequirePermission(Permission.ManageSingleSignOn)
            .WithSummary("Remove SAML 2.0 single sign-on (OWNER)");

        // An owner or admin signs a member out of every browser and token (the member's id is checked against this organization).
        security.MapPost("/members/{userId}/sign-out-everywhere", async (Guid orgId, string userId, SessionService sessions, CancellationToken ct) =>
        {
            await sessions.SignOutMemberEverywhereAsync(userId, ct);
            return TypedResults.NoContent();
        }).RequirePermission(Permission.RemoveMembers)
            .WithSummary("Sign a member out of every browser and token");
    }
}

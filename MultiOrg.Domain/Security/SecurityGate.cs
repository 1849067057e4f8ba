using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Security;

/// <summary>
/// The organization's policies at its door: every way in (page, API, API key, assistant) enters through
/// <see cref="Organizations.OrganizationService.EnterAsync"/>, which asks here first. The allow-list is asked again at
/// every permission check, so a list saved while someone works binds them at their next action.
/// </summary>
public static class SecurityGate
{
    /// <param name="db">A unit of work for the organization being entered.</param>
    public static async Task CheckEntryAsync(IMultiOrgDb db, TenantContext tenant, string userId, string organizationName, CancellationToken ct)
    {
        var policy = await db.Set<SecurityPolicy>().AsNoTracking().SingleOrDefaultAsync(ct);
        if (policy is not null)
        {
            CheckAddress(policy, tenant, organizationName);
        }

        // An API key and a SCIM token are machines' credentials, and support enters through its own audited impersonation: the
        // person-bound rules below are about a person's own sign-in.
        if (tenant.ApiKey is not null || tenant.ScimToken is not null || tenant.Impersonation is not null)
        {
            return;
        }

        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.TwoFactorEnabled, HasPassword = u.PasswordHash != null, u.PasswordChangedAt, u.CreatedAt, u.Email, u.GlobalRole })
            .SingleAsync(ct);
        await SingleSignOn.SsoStepUp.CheckAsync(db, tenant, userId, user.Email, user.GlobalRole, user.TwoFactorEnabled, organizationName, ct);
        if (policy is null)
        {
            return;
        }

        if (policy.RequireTwoFactor && !user.TwoFactorEnabled)
        {
            throw new DomainException(DomainErrorKind.Forbidden,
                $"{organizationName} requires two-factor authentication. Set up an authenticator app to continue.")
            { Refusal = SecurityRefusal.TwoFactorSetup };
        }

        // People who sign in only through single sign-on have no password here to be stale.
        if (policy.PasswordRulesTightenedAt is { } tightened && user.HasPassword && (user.PasswordChangedAt ?? user.CreatedAt) < tightened)
        {
            throw new DomainException(DomainErrorKind.Forbidden,
                $"{organizationName}'s password rules became stricter after you set your password. Change your password to continue.")
            { Refusal = SecurityRefusal.PasswordChange };
        }
    }

    /// <summary>The allow-list alone: asked at every permission check.</summary>
    public static async Task CheckAddressAsync(IMultiOrgDb db, TenantContext tenant, CancellationToken ct)
    {
        var policy = await db.Set<SecurityPolicy>().AsNoTracking()
            .Where(p => p.IpAllowList != "")
            .Select(p => new SecurityPolicy { OrganizationId = p.OrganizationId, IpAllowList = p.IpAllowList })
            .SingleOrDefaultAsync(ct);
        if (policy is not null)
        {
            CheckAddress(policy, tenant, tenant.OrganizationName ?? "This organization");
        }
    }

    private static void CheckAddress(SecurityPolicy policy, TenantContext tenant, string organizationName)
    {
        if (!IpAllowLists.Allows(policy.AllowedNetworks, tenant.ClientIp))
        {
            throw new DomainException(DomainErrorKind.Forbidden,
                $"{organizationName} accepts connections only from its allowed addresses, and yours ({tenant.ClientIp ?? "unknown"}) is not one of them.")
            { Refusal = SecurityRefusal.AddressNotAllowed };
        }
    }
}

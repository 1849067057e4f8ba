using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Domain.SingleSignOn;

/// <summary>
/// "SSO required" for a member whose address is elsewhere (added by email from another company): the sign-in keeps their
/// password, since other organizations do not ask for this provider; entering this organization asks for it once per
/// session (a step-up through <c>/Account/Sso/StepUp</c>, which marks the session). Members at the organization's verified
/// domains never reach here with a password session (<see cref="SsoLookup.RequiredForAsync"/> refuses the sign-in).
/// </summary>
public static class SsoStepUp
{
    public const string PagePath = "/Account/Sso/StepUp";

    /// <summary>Where a session passes the organization's provider, and returns.</summary>
    public static string PathFor(Guid organizationId) => $"{PagePath}?organizationId={organizationId}";

    /// <param name="db">A unit of work for the organization being entered.</param>
    internal static async Task CheckAsync(
        IMultiOrgDb db, TenantContext tenant, string userId, string? email, GlobalRole globalRole, bool twoFactor, string organizationName,
        CancellationToken ct)
    {
        // The step-up runs the OpenID Connect flow; a SAML provider has none yet, and asking for one that cannot be
        // passed would lock members from elsewhere out (as before the step-up existed, SAML leaves them their password).
        var connection = await db.Set<SsoConnection>().AsNoTracking().Where(c => c.Enabled && c.Required && c.Protocol == SsoProtocol.OpenIdConnect)
            .Select(c => new { c.OrganizationId, c.BreakGlassUserId }).SingleOrDefaultAsync(ct);
        if (connection is null || tenant.SsoPassed.Contains(connection.OrganizationId))
        {
            return;
        }

        // System administrators and support staff keep password plus two-factor whatever an organization sets.
        if (globalRole != GlobalRole.User && twoFactor)
        {
            return;
        }

        // The break-glass owner (password plus two-factor, while an OWNER) is the way in when the provider is down.
        if (twoFactor && connection.BreakGlassUserId == userId
            && await db.OrganizationMembers.AnyAsync(m => m.UserId == userId && m.Role == OrganizationRole.Owner, ct))
        {
            return;
        }

        var domain = EmailAddresses.DomainOf(email);
        var atVerifiedDomain = await db.Set<SsoDomain>().AnyAsync(d => d.Domain == domain
            && db.Set<Joining.VerifiedDomain>().Any(v => v.DnsVerifiedDomain == d.Domain), ct);
        if (atVerifiedDomain)
        {
            // A member at the domain signed in through the provider (or is the break-glass owner): the sign-in decided.
            return;
        }

        throw new DomainException(DomainErrorKind.Forbidden,
            $"{organizationName} requires single sign-on. Sign in through its identity provider at {PathFor(connection.OrganizationId)} to continue; your other organizations do not ask for it.")
        { Refusal = Security.SecurityRefusal.SingleSignOnStepUp };
    }
}

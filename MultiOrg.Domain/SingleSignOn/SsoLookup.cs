using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Domain.SingleSignOn;

/// <summary>Where the sign-in page sends an address: the organization whose provider serves its domain.</summary>
public sealed record SsoRoute(Guid OrganizationId, string OrganizationName, string Domain, bool Required, int Version, string? BreakGlassUserId = null);

/// <summary>What the sign-in handler of one organization is built from, with the secret decrypted (never shown or logged).</summary>
public sealed record SsoClient(
    Guid OrganizationId, string OrganizationName, string Authority, string ClientId, string ClientSecret, int Version,
    IReadOnlyList<string> Domains, OrganizationRole DefaultRole);

/// <summary>
/// The reads of single sign-on that happen before anyone is inside an organization, so across organizations by nature
/// (on the cross-tenant allow-list): which provider an address belongs to, and a provider's settings for the sign-in
/// handler. Only turned-on providers are found.
/// </summary>
public sealed class SsoLookup(IMultiOrgDbFactory dbFactory, ISsoSecretProtector protector)
{
    private static readonly string[] TenantOnly = [TenantFilter.Name];

    public async Task<SsoRoute?> FindForEmailAsync(string? email, CancellationToken ct = default)
    {
        var domain = EmailAddresses.DomainOf(email);
        if (domain.Length == 0)
        {
            return null;
        }

        await using var db = dbFactory.Create();
        var proved = DnsProved(db);
        return await db.Set<SsoDomain>().IgnoreQueryFilters(TenantOnly).AsNoTracking()
            .Where(d => d.Domain == domain && proved.Any(v => v.OrganizationId == d.OrganizationId && v.DnsVerifiedDomain == d.Domain))
            .Join(db.Set<SsoConnection>().IgnoreQueryFilters(TenantOnly).Where(c => c.Enabled), d => d.OrganizationId, c => c.OrganizationId, (d, c) => c)
            .Join(db.Organizations.IgnoreQueryFilters(TenantOnly), c => c.OrganizationId, o => o.Id,
                (c, o) => new SsoRoute(o.Id, o.Name, domain, c.Required, c.Version, c.BreakGlassUserId))
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Domains an organization proved by DNS: the only ones its provider serves, so a proof that lapsed (or a routing saved
    /// before DNS proofs) sends nobody to the provider and binds nobody.
    /// </summary>
    private static IQueryable<Joining.VerifiedDomain> DnsProved(IMultiOrgDb db) =>
        db.Set<Joining.VerifiedDomain>().IgnoreQueryFilters(TenantOnly).Where(v => v.DnsVerifiedDomain != null);

    /// <summary>
    /// The provider this account must sign in through instead of a password or passkey, or null. "SSO required" binds a
    /// person only when both hold: the address is at one of the organization's verified single sign-on domains, and the
    /// person is a member. People at the domain who never joined are offered the provider, never refused (an organization
    /// cannot lock a whole domain out); members whose address is elsewhere keep their password; system administrators and
    /// support staff with two-factor keep password plus two-factor whatever any organization sets, and so does the one
    /// break-glass owner the organization's owners named (for when the provider is down; <see cref="BreakGlassSignIn"/>).
    /// The verified single sign-on domains are those proved by DNS: a confirmed address at a domain binds nobody.
    /// </summary>
    public async Task<SsoRoute?> RequiredForAsync(AppUser? user, CancellationToken ct = default)
    {
        if (user is null || (user.GlobalRole != GlobalRole.User && user.TwoFactorEnabled))
        {
            return null;
        }

        var route = await FindForEmailAsync(user.Email, ct);
        if (route is not { Required: true } || await RoleInAsync(user.Id, route.OrganizationId, ct) is not { } role)
        {
            return null;
        }

        return IsBreakGlass(user, route, role) ? null : route;
    }

    /// <summary>The break-glass owner keeps password plus two-factor (never a password alone) while still an OWNER.</summary>
    internal static bool IsBreakGlass(AppUser user, SsoRoute route, OrganizationRole role) =>
        user.TwoFactorEnabled && role == OrganizationRole.Owner && route.BreakGlassUserId == user.Id;

    internal async Task<OrganizationRole?> RoleInAsync(string userId, Guid organizationId, CancellationToken ct)
    {
        await using var db = dbFactory.Create();
        return await db.OrganizationMembers.IgnoreQueryFilters(TenantOnly)
            .Where(m => m.UserId == userId && m.OrganizationId == organizationId).Select(m => (OrganizationRole?)m.Role).SingleOrDefaultAsync(ct);
    }

    public async Task<SsoClient?> GetClientAsync(Guid organizationId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var row = await db.Set<SsoConnection>().IgnoreQueryFilters(TenantOnly).AsNoTracking()
            .Where(c => c.OrganizationId == organizationId && c.Enabled && c.Protocol == SsoProtocol.OpenIdConnect)
            .Join(db.Organizations.IgnoreQueryFilters(TenantOnly), c => c.OrganizationId, o => o.Id, (c, o) => new { Connection = c, o.Name })
            .SingleOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }

        var proved = DnsProved(db);
        var domains = await db.Set<SsoDomain>().IgnoreQueryFilters(TenantOnly).AsNoTracking()
            .Where(d => d.OrganizationId == organizationId && proved.Any(v => v.OrganizationId == organizationId && v.DnsVerifiedDomain == d.Domain))
            .Select(d => d.Domain).ToListAsync(ct);
        var c = row.Connection;
        return new SsoClient(c.OrganizationId, row.Name, c.Authority, c.ClientId, protector.Unprotect(c.ProtectedClientSecret), c.Version, domains, c.DefaultRole);
    }

    /// <summary>Whether the account belongs to the organization.</summary>
    public async Task<bool> IsMemberAsync(string userId, Guid organizationId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        return await db.OrganizationMembers.IgnoreQueryFilters(TenantOnly).AnyAsync(m => m.UserId == userId && m.OrganizationId == organizationId, ct);
    }
}

using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Joining;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Security;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.SingleSignOn;

/// <summary>
/// What the settings page and the API show; the client secret never leaves the database, only whether one is set.
/// <see cref="SamlInUse"/>: the organization signs in by SAML, which saving OpenID Connect replaces (one provider at a time).
/// </summary>
public sealed record SsoSettingsView(
    bool Configured,
    string? Authority,
    string? ClientId,
    bool ClientSecretSet,
    DateTime? ClientSecretSetAt,
    IReadOnlyList<string> Domains,
    IReadOnlyList<string> VerifiedDomains,
    bool Enabled,
    bool Required,
    OrganizationRole DefaultRole,
    string CallbackPath,
    bool CanEdit,
    SsoBreakGlassView? BreakGlass = null,
    IReadOnlyList<SsoBreakGlassView>? Owners = null,
    bool SamlInUse = false);

/// <summary>The owner who may sign in with password plus two-factor when the provider is down; it counts only with two-factor on.</summary>
public sealed record SsoBreakGlassView(string UserId, string Name, bool TwoFactorEnabled, DateTime? LastUsedAt);

/// <summary>An OWNER's settings. A null or empty <see cref="ClientSecret"/> keeps the stored one.</summary>
public sealed record SsoSettingsInput(
    string? Authority,
    string? ClientId,
    string? ClientSecret,
    IReadOnlyList<string>? Domains,
    bool Enabled,
    bool Required,
    OrganizationRole DefaultRole = OrganizationRole.Member);

/// <summary>
/// The current organization's single sign-on: an OWNER sets the OpenID Connect provider and the verified domains whose
/// people sign in there; OWNER and ADMIN read it. Every save raises the version, so every server rebuilds its sign-in
/// handler for the organization at the next sign-in, with no restart. The DbContext audits each change (never the secret).
/// </summary>
public sealed class SingleSignOnService(IMultiOrgDbFactory dbFactory, TenantContext tenant, ISsoSecretProtector protector, TimeProvider time, OutboundAddresses outbound)
{
    private static readonly string[] TenantOnly = [TenantFilter.Name];

    public async Task<SsoSettingsView> GetAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ViewSecurity, ct);
        return await ViewAsync(db, me.OrganizationId, me.May(Permission.ManageSingleSignOn), ct);
    }

    public async Task<SsoSettingsView> SaveAsync(SsoSettingsInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var authority = SsoAuthority.Parse(input.Authority, outbound);
        var clientId = input.ClientId?.Trim() ?? "";
        if (clientId.Length == 0 || clientId.Length > SsoConnection.ClientIdMaxLength)
        {
            throw DomainException.Invalid("clientId", $"Enter the client ID the provider gave MultiOrg (1 to {SsoConnection.ClientIdMaxLength} characters).");
        }

        var secret = string.IsNullOrWhiteSpace(input.ClientSecret) ? null : input.ClientSecret.Trim();
        if (secret is { Length: > SsoConnection.ClientSecretMaxLength })
        {
            throw DomainException.Invalid("clientSecret", $"The client secret must be at most {SsoConnection.ClientSecretMaxLength} characters.");
        }

        if (input.DefaultRole is not (OrganizationRole.Member or OrganizationRole.Admin))
        {
            throw DomainException.Invalid("defaultRole", "Single sign-on can make new people MEMBER or ADMIN, never OWNER.");
        }

        var domains = (input.Domains ?? []).Select(d => d.Trim().TrimStart('@').ToLowerInvariant()).Where(d => d.Length > 0).Distinct().ToList();
        if (input.Enabled && domains.Count == 0)
        {
            throw DomainException.Invalid("domains", "Choose at least one verified domain whose people sign in through the provider.");
        }

        if (input.Required && !input.Enabled)
        {
            throw DomainException.Invalid("required", "Single sign-on can only be required while it is turned on.");
        }

        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ManageSingleSignOn, ct);
        await db.WriteAsync(
            async ct =>
            {
                // Only a DNS proof lets an organization send a domain's people to its provider and bind them: a confirmed address
                // there is something anyone at a shared domain can have.
                var verified = await db.Set<VerifiedDomain>().Where(d => d.DnsVerifiedDomain != null).Select(d => d.Domain).ToListAsync(ct);
                if (domains.FirstOrDefault(d => !verified.Contains(d)) is { } unverified)
                {
                    throw DomainException.Invalid("domains",
                        $"{unverified} is not DNS-verified for this organization. Single sign-on needs the domain's TXT record: add it under Settings → Joining and choose Check now.");
                }

                // A domain leads to one provider: the sign-in page must know where to send its people.
                var taken = await db.Set<SsoDomain>().IgnoreQueryFilters(TenantOnly)
                    .Where(d => domains.Contains(d.Domain) && d.OrganizationId != me.OrganizationId)
                    .Select(d => d.Domain).FirstOrDefaultAsync(ct);
                if (taken is not null)
                {
                    throw new DomainException(DomainErrorKind.Conflict, $"{taken} already signs in through another organization's single sign-on.", "domains");
                }

                var connection = await db.Set<SsoConnection>().SingleOrDefaultAsync(ct);
                var now = time.GetUtcNow().UtcDateTime;
                if (connection is not { Protocol: SsoProtocol.OpenIdConnect } && secret is null)
                {
                    throw DomainException.Invalid("clientSecret", "Enter the client secret the provider gave MultiOrg.");
                }

                if (connection is null)
                {
                    connection = new SsoConnection { OrganizationId = me.OrganizationId, Authority = "", ClientId = "", ProtectedClientSecret = "" };
                    db.Set<SsoConnection>().Add(connection);
                }

                // OpenID Connect replaces a SAML provider (its stored IdP stays, unused, until removed or chosen again).
                connection.Protocol = SsoProtocol.OpenIdConnect;

                connection.Authority = authority;
                connection.ClientId = clientId;
                if (secret is not null)
                {
                    connection.ProtectedClientSecret = protector.Protect(secret);
                    connection.ClientSecretSetAt = now;
                }

                connection.Enabled = input.Enabled;
                connection.Required = input.Required;
                connection.DefaultRole = input.DefaultRole;
                connection.Version++;

                var stored = await db.Set<SsoDomain>().ToListAsync(ct);
                db.Set<SsoDomain>().RemoveRange(stored.Where(d => !domains.Contains(d.Domain)));
                db.Set<SsoDomain>().AddRange(domains.Where(d => stored.All(s => s.Domain != d)).Select(d => new SsoDomain { OrganizationId = me.OrganizationId, Domain = d }));
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException e) when (!e.IsTransient())
                {
                    throw new DomainException(DomainErrorKind.Conflict, "One of these domains was just taken by another organization's single sign-on. Reload and try again.", "domains");
                }

            },
            ct);
        return await ViewAsync(db, me.OrganizationId, canEdit: true, ct);
    }

    /// <summary>
    /// Names the break-glass owner (null: none). An OWNER names one of the organization's owners; the change is audited.
    /// </summary>
    public async Task<SsoSettingsView> SetBreakGlassOwnerAsync(string? userId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ManageSingleSignOn, ct);
        await db.WriteAsync(
            async ct =>
            {
                var connection = await db.Set<SsoConnection>().SingleOrDefaultAsync(ct)
                    ?? throw new DomainException(DomainErrorKind.NotFound, "Set up single sign-on before naming a break-glass owner.");
                var id = string.IsNullOrWhiteSpace(userId) ? null : userId.Trim();
                if (id is not null && !(await db.OwnerIdsAsync(me.OrganizationId, ct)).Contains(id))
                {
                    throw DomainException.Invalid("userId", "The break-glass owner must be one of this organization's owners.");
                }

                connection.BreakGlassUserId = id;
                await db.SaveChangesAsync(ct);
            },
            ct);
        return await ViewAsync(db, me.OrganizationId, canEdit: true, ct);
    }

    /// <summary>Forgets the provider and its secret; people at the domains sign in with passwords again.</summary>
    public async Task RemoveAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.ManageSingleSignOn, ct);
        await db.WriteAsync(
            async ct =>
            {
                var connection = await db.Set<SsoConnection>().SingleOrDefaultAsync(ct)
                    ?? throw new DomainException(DomainErrorKind.NotFound, "This organization has no single sign-on to remove.");
                db.Set<SsoDomain>().RemoveRange(await db.Set<SsoDomain>().ToListAsync(ct));
                db.Set<SsoConnection>().Remove(connection);
                await db.SaveChangesAsync(ct);
            },
            ct);
    }

    private static async Task<SsoSettingsView> ViewAsync(IMultiOrgDb db, Guid organizationId, bool canEdit, CancellationToken ct)
    {
        var connection = await db.Set<SsoConnection>().AsNoTracking().Where(c => c.Protocol == SsoProtocol.OpenIdConnect).SingleOrDefaultAsync(ct);
        var domains = connection is null ? [] : await db.Set<SsoDomain>().AsNoTracking().OrderBy(d => d.Domain).Select(d => d.Domain).ToListAsync(ct);
        var verified = await db.Set<VerifiedDomain>().AsNoTracking().Where(d => d.DnsVerifiedDomain != null).OrderBy(d => d.Domain).Select(d => d.Domain).ToListAsync(ct);
        var breakGlass = connection?.BreakGlassUserId is { } id
            ? await db.Users.AsNoTracking().Where(u => u.Id == id)
                .Select(u => new SsoBreakGlassView(u.Id, u.DisplayName ?? u.Email ?? u.Id, u.TwoFactorEnabled, connection.BreakGlassUsedAt)).SingleOrDefaultAsync(ct)
            : null;
        // Memberships carry no tenant filter (a person reads their own across organizations): the owners are asked by id.
        var ownerIds = canEdit ? await db.OwnerIdsAsync(organizationId, ct) : [];
        var owners = canEdit
            ? await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id))
                .Select(u => new SsoBreakGlassView(u.Id, u.DisplayName ?? u.Email ?? u.Id, u.TwoFactorEnabled, null))
                .ToListAsync(ct)
            : null;
        return new SsoSettingsView(
            connection is not null, connection?.Authority, connection?.ClientId, connection is not null, connection?.ClientSecretSetAt,
            domains, verified, connection?.Enabled ?? false, connection?.Required ?? false, connection?.DefaultRole ?? OrganizationRole.Member,
            SsoAuthority.CallbackPath(organizationId), canEdit, breakGlass, owners?.OrderBy(o => o.Name, StringComparer.CurrentCultureIgnoreCase).ToList(),
            SamlInUse: await db.Set<SsoConnection>().AnyAsync(c => c.Protocol == SsoProtocol.Saml, ct));
    }
}

/// <summary>The provider's address and the paths MultiOrg gives it.</summary>
public static class SsoAuthority
{
    /// <summary>
    /// An absolute https address without query or fragment that the server may reach (<see cref="OutboundAddresses"/>).
    /// Plain http only inside a private network the operator allows; that is how the tests run their provider.
    /// </summary>
    public static string Parse(string? authority, OutboundAddresses outbound)
    {
        ArgumentNullException.ThrowIfNull(outbound);
        var text = authority?.Trim() ?? "";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || text.Length > SsoConnection.AuthorityMaxLength)
        {
            throw DomainException.Invalid("authority", "Enter the provider's address (its issuer), for example https://login.acme.example.");
        }

        if (!outbound.MayUse(uri))
        {
            throw DomainException.Invalid("authority", uri.Scheme == Uri.UriSchemeHttp
                ? "The provider's address must start with https:// (plain http is only accepted inside a private network the operator allows)."
                : "The provider's address is in a private network, which MultiOrg reaches only when its operator allows that network.");
        }

        return text;
    }

    /// <summary>Whether the handler may read the provider's metadata over plain http (every connection is checked again).</summary>
    public static bool AllowsHttp(string authority, OutboundAddresses outbound) =>
        Uri.TryCreate(authority, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && outbound.MayUse(uri);

    /// <summary>Where the provider sends the person back; register it at the provider as the redirect URI.</summary>
    public static string CallbackPath(Guid organizationId) => $"/signin-sso/{organizationId:N}";

    public static string SignedOutCallbackPath(Guid organizationId) => $"/signout-sso/{organizationId:N}";
}

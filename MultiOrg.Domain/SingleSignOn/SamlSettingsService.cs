using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Joining;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.SingleSignOn;

public sealed record SamlCertificateInfo(string Subject, DateTime NotAfter, string Thumbprint);

/// <summary>The SAML settings as the Security page shows them; paths are relative to the app's public address.</summary>
public sealed record SamlSettingsView(
    bool Configured,
    bool OpenIdConnectInUse,
    string? IdpEntityId,
    string? IdpSsoUrl,
    IReadOnlyList<SamlCertificateInfo> IdpCertificates,
    string? MetadataUrl,
    IReadOnlyList<string> Domains,
    IReadOnlyList<string> VerifiedDomains,
    bool Enabled,
    bool Required,
    OrganizationRole DefaultRole,
    bool IdpInitiated,
    string? EmailAttribute,
    string? NameAttribute,
    string SpEntityIdPath,
    string AcsPath,
    string? SpCertificate,
    bool CanEdit);

/// <summary>An OWNER's SAML settings. A null <see cref="MetadataXml"/> keeps the stored IdP.</summary>
public sealed record SamlSettingsInput(
    string? MetadataXml,
    string? MetadataUrl,
    IReadOnlyList<string>? Domains,
    bool Enabled,
    bool Required,
    OrganizationRole DefaultRole = OrganizationRole.Member,
    bool IdpInitiated = false,
    string? EmailAttribute = null,
    string? NameAttribute = null);

/// <summary>The addresses MultiOrg gives an organization's IdP (relative to the public address).</summary>
public static class SamlPaths
{
    /// <summary>MultiOrg's entity id for the organization is its metadata address, as most IdPs expect.</summary>
    public static string Metadata(Guid organizationId) => $"/saml/{organizationId:N}/metadata";

    public static string Acs(Guid organizationId) => $"/saml/{organizationId:N}/acs";
}

/// <summary>
/// The current organization's SAML 2.0 identity provider: an OWNER uploads its metadata and chooses the domains, as for
/// OpenID Connect (one provider per organization: saving SAML replaces an OpenID Connect provider and the reverse);
/// OWNER and ADMIN read it. MultiOrg's own signing key is made at the first save and kept encrypted.
/// </summary>
public sealed class SamlSettingsService(IMultiOrgDbFactory dbFactory, TenantContext tenant, ISsoSecretProtector protector, TimeProvider time)
{
    private static readonly string[] TenantOnly = [TenantFilter.Name];

    public async Task<SamlSettingsView> GetAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ViewSecurity, ct);
        return await ViewAsync(db, me.OrganizationId, me.May(Permission.ManageSingleSignOn), ct);
    }

    public async Task<SamlSettingsView> SaveAsync(SamlSettingsInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var metadata = input.MetadataXml is null ? null : SamlMetadata.Parse(input.MetadataXml);
        var emailAttribute = Attribute(input.EmailAttribute, "emailAttribute");
        var nameAttribute = Attribute(input.NameAttribute, "nameAttribute");
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
                var verified = await db.Set<VerifiedDomain>().Where(d => d.DnsVerifiedDomain != null).Select(d => d.Domain).ToListAsync(ct);
                if (domains.FirstOrDefault(d => !verified.Contains(d)) is { } unverified)
                {
                    throw DomainException.Invalid("domains", $"{unverified} is not DNS-verified for this organization. Single sign-on needs the domain's TXT record: add it under Settings → Joining and choose Check now.");
                }

                var taken = await db.Set<SsoDomain>().IgnoreQueryFilters(TenantOnly)
                    .Where(d => domains.Contains(d.Domain) && d.OrganizationId != me.OrganizationId).Select(d => d.Domain).FirstOrDefaultAsync(ct);
                if (taken is not null)
                {
                    throw new DomainException(DomainErrorKind.Conflict, $"{taken} already signs in through another organization's single sign-on.", "domains");
                }

                var provider = await db.Set<SamlProvider>().SingleOrDefaultAsync(ct);
                if (provider is null)
                {
                    if (metadata is null)
                    {
                        throw DomainException.Invalid("metadata", "Upload the identity provider's SAML metadata, or give its address.");
                    }

                    var (key, certificate) = NewSigningKey(me.OrganizationId);
                    provider = new SamlProvider
                    {
                        OrganizationId = me.OrganizationId, IdpEntityId = "", IdpSsoUrl = "", IdpCertificate = "",
                        ProtectedSpKey = protector.Protect(key), SpCertificate = certificate,
                    };
                    db.Set<SamlProvider>().Add(provider);
                }

                if (metadata is not null)
                {
                    provider.IdpEntityId = metadata.EntityId;
                    provider.IdpSsoUrl = metadata.SsoUrl;
                    provider.IdpCertificate = string.Join(' ', metadata.Certificates);
                    provider.MetadataUrl = string.IsNullOrWhiteSpace(input.MetadataUrl) ? null : input.MetadataUrl.Trim()[..Math.Min(input.MetadataUrl.Trim().Length, SamlProvider.UrlMaxLength)];
                }

                provider.IdpInitiated = input.IdpInitiated;
                provider.EmailAttribute = emailAttribute;
                provider.NameAttribute = nameAttribute;

                var connection = await db.Set<SsoConnection>().SingleOrDefaultAsync(ct);
                if (connection is null)
                {
                    connection = new SsoConnection { OrganizationId = me.OrganizationId, Authority = "", ClientId = "", ProtectedClientSecret = "" };
                    db.Set<SsoConnection>().Add(connection);
                }

                // SAML replaces an OpenID Connect provider: its secret is not kept for a protocol no longer used.
                connection.Protocol = SsoProtocol.Saml;
                connection.Authority = provider.IdpEntityId;
                connection.ClientId = "";
                connection.ProtectedClientSecret = "";
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

    /// <summary>Forgets the IdP and MultiOrg's key for it; people at the domains sign in with passwords again.</summary>
    public async Task RemoveAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.ManageSingleSignOn, ct);
        await db.WriteAsync(
            async ct =>
            {
                var provider = await db.Set<SamlProvider>().SingleOrDefaultAsync(ct)
                    ?? throw new DomainException(DomainErrorKind.NotFound, "This organization has no SAML single sign-on to remove.");
                db.Set<SamlProvider>().Remove(provider);
                if (await db.Set<SsoConnection>().SingleOrDefaultAsync(c => c.Protocol == SsoProtocol.Saml, ct) is { } connection)
                {
                    db.Set<SsoDomain>().RemoveRange(await db.Set<SsoDomain>().ToListAsync(ct));
                    db.Set<SsoConnection>().Remove(connection);
                }

                await db.SaveChangesAsync(ct);
            },
            ct);
    }

    private static string? Attribute(string? value, string field)
    {
        var text = value?.Trim() ?? "";
        if (text.Length > SamlProvider.AttributeMaxLength || text.Any(char.IsControl))
        {
            throw DomainException.Invalid(field, $"An attribute name has at most {SamlProvider.AttributeMaxLength} characters and no control characters.");
        }

        return text.Length == 0 ? null : text;
    }

    private (string Pkcs12, string Certificate) NewSigningKey(Guid organizationId)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=MultiOrg SAML {organizationId:N}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = time.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        return (Convert.ToBase64String(certificate.Export(X509ContentType.Pkcs12)), Convert.ToBase64String(certificate.RawData));
    }

    private static async Task<SamlSettingsView> ViewAsync(IMultiOrgDb db, Guid organizationId, bool canEdit, CancellationToken ct)
    {
        var connection = await db.Set<SsoConnection>().AsNoTracking().SingleOrDefaultAsync(ct);
        var provider = await db.Set<SamlProvider>().AsNoTracking().SingleOrDefaultAsync(ct);
        var saml = connection?.Protocol == SsoProtocol.Saml && provider is not null ? connection : null;
        var domains = saml is null ? [] : await db.Set<SsoDomain>().AsNoTracking().OrderBy(d => d.Domain).Select(d => d.Domain).ToListAsync(ct);
        var verified = await db.Set<VerifiedDomain>().AsNoTracking().Where(d => d.DnsVerifiedDomain != null).OrderBy(d => d.Domain).Select(d => d.Domain).ToListAsync(ct);
        return new SamlSettingsView(
            saml is not null, connection is { Protocol: SsoProtocol.OpenIdConnect }, provider?.IdpEntityId, provider?.IdpSsoUrl,
            provider is null ? [] : Certificates(provider.IdpCertificate), provider?.MetadataUrl, domains, verified,
            saml?.Enabled ?? false, saml?.Required ?? false, saml?.DefaultRole ?? OrganizationRole.Member, provider?.IdpInitiated ?? false,
            provider?.EmailAttribute, provider?.NameAttribute, SamlPaths.Metadata(organizationId), SamlPaths.Acs(organizationId),
            provider?.SpCertificate, canEdit);
    }

    private static List<SamlCertificateInfo> Certificates(string stored) =>
        [.. stored.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c =>
        {
            using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(c));
            return new SamlCertificateInfo(certificate.Subject, certificate.NotAfter.ToUniversalTime(), certificate.Thumbprint);
        })];
}

using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.SingleSignOn;

/// <summary>What a SAML sign-in of one organization is checked against and provisioned with (the SP key decrypted).</summary>
public sealed record SamlClient(SsoClient Client, SamlProvider Provider, byte[] SpKeyPkcs12);

/// <summary>
/// The SAML reads and writes that happen before anyone is inside an organization (on the cross-tenant allow-list): a
/// turned-on SAML provider's settings by organization, and the message ids every server must see (requests this server
/// sent, assertions already accepted).
/// </summary>
public sealed class SamlLookup(IMultiOrgDbFactory dbFactory, ISsoSecretProtector protector, TimeProvider time)
{
    private static readonly string[] TenantOnly = [TenantFilter.Name];

    /// <summary>The organization's turned-on SAML provider, or null (none, turned off, or OpenID Connect).</summary>
    public async Task<SamlClient?> GetAsync(Guid organizationId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var row = await db.Set<SsoConnection>().IgnoreQueryFilters(TenantOnly).AsNoTracking()
            .Where(c => c.OrganizationId == organizationId && c.Enabled && c.Protocol == SsoProtocol.Saml)
            .Join(db.Set<SamlProvider>().IgnoreQueryFilters(TenantOnly), c => c.OrganizationId, p => p.OrganizationId, (c, p) => new { Connection = c, Provider = p })
            .Join(db.Organizations.IgnoreQueryFilters(TenantOnly), x => x.Connection.OrganizationId, o => o.Id, (x, o) => new { x.Connection, x.Provider, o.Name })
            .SingleOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }

        var domains = await db.Set<SsoDomain>().IgnoreQueryFilters(TenantOnly).AsNoTracking()
            .Where(d => d.OrganizationId == organizationId).Select(d => d.Domain).ToListAsync(ct);
        var c = row.Connection;
        var client = new SsoClient(c.OrganizationId, row.Name, row.Provider.IdpEntityId, ClientId: "", ClientSecret: "", c.Version, domains, c.DefaultRole);
        return new SamlClient(client, row.Provider, Convert.FromBase64String(protector.Unprotect(row.Provider.ProtectedSpKey)));
    }

    /// <summary>The public half of MultiOrg's key for the organization's SAML provider, for its SP metadata (null: none).</summary>
    public async Task<(string EntityId, string Certificate)?> SpCertificateAsync(Guid organizationId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var row = await db.Set<SamlProvider>().IgnoreQueryFilters(TenantOnly).AsNoTracking()
            .Where(p => p.OrganizationId == organizationId).Select(p => new { p.IdpEntityId, p.SpCertificate }).SingleOrDefaultAsync(ct);
        return row is null ? null : (row.IdpEntityId, row.SpCertificate);
    }

    /// <summary>Remembers an AuthnRequest this server sent, until its answer could no longer be accepted.</summary>
    public async Task RememberRequestAsync(Guid organizationId, string requestId, TimeSpan lifetime, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await ForgetExpiredAsync(db, ct);
        db.Set<SamlMessageId>().Add(new SamlMessageId { Key = RequestKey(organizationId, requestId), ExpiresAt = time.GetUtcNow().UtcDateTime + lifetime });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Takes a remembered request: true once for a request this server sent the organization's IdP and that has not expired.</summary>
    public Task<bool> TakeRequestAsync(Guid organizationId, string requestId, CancellationToken ct = default) =>
        TakeAsync(RequestKey(organizationId, requestId), ct);

    /// <summary>Remembers that a signed-in account asked to connect the IdP's answer to <paramref name="requestId"/> to itself.</summary>
    public async Task RememberConnectAsync(Guid organizationId, string requestId, string userId, TimeSpan lifetime, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        db.Set<SamlMessageId>().Add(new SamlMessageId { Key = ConnectKey(organizationId, userId, requestId), ExpiresAt = time.GetUtcNow().UtcDateTime + lifetime });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>True once, and only for the account that asked to connect the answer to that request.</summary>
    public Task<bool> TakeConnectAsync(Guid organizationId, string requestId, string userId, CancellationToken ct = default) =>
        TakeAsync(ConnectKey(organizationId, userId, requestId), ct);

    /// <summary>
    /// Records an accepted assertion id until it expires: true the first time, false for a replay (on any server: the
    /// primary key decides, inside the database).
    /// </summary>
    public async Task<bool> AcceptOnceAsync(Guid organizationId, string issuer, string assertionId, DateTime expiresAt, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var key = Key($"assertion:{organizationId:N}:{issuer}:", assertionId);
        db.Set<SamlMessageId>().Add(new SamlMessageId { Key = key, ExpiresAt = expiresAt });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
    }

    private async Task<bool> TakeAsync(string key, CancellationToken ct)
    {
        await using var db = dbFactory.Create();
        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.Set<SamlMessageId>().SingleOrDefaultAsync(m => m.Key == key, ct);
        if (row is null)
        {
            return false;
        }

        db.Set<SamlMessageId>().Remove(row);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another server took it first.
            return false;
        }

        return row.ExpiresAt > now;
    }

    private async Task ForgetExpiredAsync(IMultiOrgDb db, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        db.Set<SamlMessageId>().RemoveRange(await db.Set<SamlMessageId>().Where(m => m.ExpiresAt < now).OrderBy(m => m.ExpiresAt).Take(100).ToListAsync(ct));
    }

    private static string RequestKey(Guid organizationId, string requestId) => Key($"request:{organizationId:N}:", requestId);

    private static string ConnectKey(Guid organizationId, string userId, string requestId) => Key($"connect:{organizationId:N}:{userId}:", requestId);

    /// <summary>Ids come from the message: a long one is kept by its hash, so the key stays within its column.</summary>
    private static string Key(string prefix, string id) =>
        prefix.Length + id.Length <= SamlMessageId.KeyMaxLength
            ? prefix + id
            : prefix + "sha256:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)));
}

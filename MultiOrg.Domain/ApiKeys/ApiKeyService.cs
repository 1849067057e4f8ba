using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.ApiKeys;

/// <summary>Who an API key is, once its secret was verified.</summary>
public sealed record ApiKeyIdentity(Guid KeyId, Guid OrganizationId, OrganizationRole Role, string CreatedByUserId, string Name);

public sealed record ApiKeyView(
    Guid Id, string Name, string Prefix, OrganizationRole Role, string CreatedBy, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? LastUsedAt, DateTime? RevokedAt)
{
    public string Status(DateTime now) => RevokedAt is not null ? "Revoked" : ExpiresAt <= now ? "Expired" : "Active";
}

/// <summary>A new key: <see cref="Secret"/> is the only time the whole key is ever available.</summary>
public sealed record CreatedApiKey(ApiKeyView Key, string Secret);

/// <summary>API keys of the current organization, and the lookup that turns a presented key into an identity.</summary>
public sealed class ApiKeyService(IMultiOrgDbFactory dbFactory, TenantContext tenant, TimeProvider time, Billing.PlanCatalog plans)
{
    /// <summary>Every key starts with this, so a bearer key is told apart from a user token at a glance.</summary>
    public const string KeyPrefix = "mo_";

    public async Task<IReadOnlyList<ApiKeyView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.ManageApiKeys, ct);
        return await db.Set<ApiKey>().AsNoTracking().OrderByDescending(k => k.CreatedAt)
            .Select(k => new ApiKeyView(k.Id, k.Name, k.Prefix, k.Role,
                db.Users.Where(u => u.Id == k.CreatedByUserId).Select(u => u.DisplayName ?? u.Email ?? u.Id).FirstOrDefault() ?? "",
                k.CreatedAt, k.ExpiresAt, k.LastUsedAt, k.RevokedAt))
            .ToListAsync(ct);
    }

    /// <summary>Owners and admins create keys with a role of at most their own.</summary>
    public async Task<CreatedApiKey> CreateAsync(string? name, OrganizationRole role, DateTime? expiresAt = null, CancellationToken ct = default)
    {
        var cleanName = name?.Trim() ?? "";
        if (cleanName.Length == 0)
        {
            throw DomainException.Invalid("name", "Name is required.");
        }

        if (cleanName.Length > ApiKey.NameMaxLength)
        {
            throw DomainException.Invalid("name", $"Name must be at most {ApiKey.NameMaxLength} characters.");
        }

        if (!Enum.IsDefined(role))
        {
            throw DomainException.Invalid("role", "Role must be OWNER, ADMIN or MEMBER.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (expiresAt is { } expiry && expiry.ToUniversalTime() <= now)
        {
            throw DomainException.Invalid("expiresAt", "Expiry must be in the future.");
        }

        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ManageApiKeys, ct);
        if (tenant.Impersonation is not null)
        {
            throw new DomainException(DomainErrorKind.Forbidden, DomainMessages.NoSecretsWhileImpersonating);
        }

        await Features.FeatureService.EnsureAvailableAsync(db, plans, me.OrganizationId, Features.Feature.ApiAccess, ct);
        if (role > me.Role)
        {
            throw new DomainException(DomainErrorKind.Forbidden, $"A key's role can be at most your own ({me.Role.ToApiName()}).", "role");
        }

        var (secret, key) = NewKey(cleanName, role, me.UserId, expiresAt?.ToUniversalTime());
        key.CreatedAt = now;
        db.Set<ApiKey>().Add(key);
        await db.SaveChangesAsync(ct);
        var creator = await db.Users.Where(u => u.Id == me.UserId).Select(u => u.DisplayName ?? u.Email).FirstOrDefaultAsync(ct);
        return new CreatedApiKey(new ApiKeyView(key.Id, key.Name, key.Prefix, key.Role, creator ?? me.UserId, key.CreatedAt, key.ExpiresAt, null, null), secret);
    }

    public async Task RevokeAsync(Guid keyId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.ManageApiKeys, ct);
        var key = await db.Set<ApiKey>().SingleOrDefaultAsync(k => k.Id == keyId, ct)
            ?? throw new DomainException(DomainErrorKind.NotFound, "API key not found.");
        key.RevokedAt ??= time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Turns a presented key into its identity, or null when it is unknown, revoked, expired or does not match.
    /// The lookup by prefix reads across organizations (no tenant is known yet): one of the few audited places that
    /// ignore the tenant filter. Only the hash is compared, in constant time.
    /// </summary>
    public async Task<ApiKeyIdentity?> AuthenticateAsync(string? presented, CancellationToken ct = default)
    {
        if (!TryParsePrefix(presented, out var prefix))
        {
            return null;
        }

        await using var db = dbFactory.Create();
        var key = await db.Set<ApiKey>().IgnoreQueryFilters([TenantFilter.Name]).SingleOrDefaultAsync(k => k.Prefix == prefix, ct);
        var now = time.GetUtcNow().UtcDateTime;
        if (key is null || key.RevokedAt is not null || key.ExpiresAt <= now
            || !CryptographicOperations.FixedTimeEquals(Hash(presented!), key.SecretHash))
        {
            return null;
        }

        if (key.LastUsedAt is null || now - key.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            await db.Set<ApiKey>().IgnoreQueryFilters([TenantFilter.Name]).Where(k => k.Id == key.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), ct);
        }

        return new ApiKeyIdentity(key.Id, key.OrganizationId, key.Role, key.CreatedByUserId, key.Name);
    }

    public static bool LooksLikeApiKey(string? value) => value?.StartsWith(KeyPrefix, StringComparison.Ordinal) == true;

    /// <summary>A fresh random key and the row that stores only its prefix and hash.</summary>
    public static (string Secret, ApiKey Row) NewKey(string name, OrganizationRole role, string createdByUserId, DateTime? expiresAt)
    {
        var prefix = KeyPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = $"{prefix}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
        return (secret, new ApiKey
        {
            Name = name,
            Prefix = prefix,
            SecretHash = Hash(secret),
            Role = role,
            CreatedByUserId = createdByUserId,
            ExpiresAt = expiresAt,
        });
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static bool TryParsePrefix(string? presented, out string prefix)
    {
        prefix = "";
        if (!LooksLikeApiKey(presented) || presented!.Length > 200)
        {
            return false;
        }

        var separator = presented.IndexOf('_', KeyPrefix.Length);
        if (separator <= KeyPrefix.Length)
        {
            return false;
        }

        prefix = presented[..separator];
        return true;
    }
}

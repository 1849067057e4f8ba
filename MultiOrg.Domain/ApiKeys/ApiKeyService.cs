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

/// <summary>
/// A key as its organization's list shows it: the role it was given, the role it acts with now (never above its
/// creator's of the moment), and why it no longer works.
/// </summary>
public sealed record ApiKeyView(
    Guid Id, string Name, string Prefix, OrganizationRole Role, string CreatedBy, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? LastUsedAt, DateTime? RevokedAt,
    OrganizationRole? EffectiveRole, ApiKeyRefusal Refusal)
{
    public string Status => Refusal switch
    {
        ApiKeyRefusal.None => "Active",
        ApiKeyRefusal.Revoked => "Revoked",
        ApiKeyRefusal.Expired => "Expired",
        _ => "Stopped",
    };

    /// <summary>Why the key acts below its role, or has stopped; null when it works with the role it was given.</summary>
    public string? Explanation => Refusal switch
    {
        ApiKeyRefusal.None when EffectiveRole < Role =>
            $"Acts as {EffectiveRole?.ToApiName()}: a key never exceeds its creator's role here, and {CreatedBy} is {EffectiveRole?.ToApiName()} now.",
        ApiKeyRefusal.None => null,
        ApiKeyRefusal.Revoked => "Revoked.",
        ApiKeyRefusal.Expired => "Expired.",
        ApiKeyRefusal.CreatorHasNoAccess => $"{CreatedBy} no longer belongs to this organization (or to the partner that manages it).",
        ApiKeyRefusal.CreatorLockedOut => $"{CreatedBy}'s account is locked out.",
        _ => "Its creator's account was deleted.",
    };
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
        var keys = await db.Set<ApiKey>().AsNoTracking().OrderByDescending(k => k.CreatedAt).ToListAsync(ct);
        var creatorIds = keys.Select(k => k.CreatedByUserId).Distinct().ToList();
        var creators = await db.Users.Where(u => creatorIds.Contains(u.Id))
            .Select(u => new { u.Id, Name = u.DisplayName ?? u.Email ?? u.Id })
            .ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var standings = await db.KeyStandingsAsync(keys, time.GetUtcNow().UtcDateTime, ct);
        return [.. keys.Select(k => View(k, creators.GetValueOrDefault(k.CreatedByUserId) ?? "A deleted account", standings[k.Id]))];
    }

    /// <summary>Owners and admins create keys with a role of at most their own.</summary>
    public async Task<CreatedApiKey> CreateAsync(string? name, OrganizationRole role, DateTime? expiresAt = null, CancellationToken ct = default)
    {
        var cleanName = Text.UserText.Name(name, "name", "Name", ApiKey.NameMaxLength);

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
        Access.RequireNotImpersonating(tenant, DomainMessages.NoSecretsWhileImpersonating);

        await FeatureSwitches.FeatureService.EnsureAvailableAsync(db, plans, me.OrganizationId, FeatureSwitches.Feature.ApiAccess, ct);
        if (!me.Role.MayActOn(role))
        {
            throw new DomainException(DomainErrorKind.Forbidden, $"A key's role can be at most your own ({me.Role.ToApiName()}).", "role");
        }

        var (secret, key) = NewKey(cleanName, role, me.UserId, expiresAt?.ToUniversalTime());
        key.CreatedAt = now;
        db.Set<ApiKey>().Add(key);
        await db.SaveChangesAsync(ct);
        var creator = await db.Users.Where(u => u.Id == me.UserId).Select(u => u.DisplayName ?? u.Email).FirstOrDefaultAsync(ct);
        return new CreatedApiKey(View(key, creator ?? me.UserId, new ApiKeyStanding(key.Role, ApiKeyRefusal.None)), secret);
    }

    /// <summary>Owners and admins revoke keys whose role is at most their own; only an owner revokes an OWNER key.</summary>
    public async Task RevokeAsync(Guid keyId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ManageApiKeys, ct);
        var key = await db.Set<ApiKey>().SingleOrDefaultAsync(k => k.Id == keyId, ct)
            ?? throw new DomainException(DomainErrorKind.NotFound, "API key not found.");
        me.RequireMayActOn(key.Role, TargetAction.RevokeApiKey);
        key.RevokedAt ??= time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Turns a key presented to one organization's route into its identity, or null when it is unknown, belongs to
    /// another organization, is refused (<see cref="Access.KeyStandingsAsync"/>) or does not match. The identity's role
    /// is the key's standing of this moment. The lookup by prefix reads across organizations (no tenant is known yet):
    /// one of the few audited places that ignore the tenant filter. Only the hash is compared, in constant time.
    /// </summary>
    public async Task<ApiKeyIdentity?> AuthenticateAsync(string? presented, Guid organizationId, CancellationToken ct = default)
    {
        if (!TryParsePrefix(presented, out var prefix))
        {
            return null;
        }

        await using var db = dbFactory.Create();
        var key = await db.Set<ApiKey>().IgnoreQueryFilters([TenantFilter.Name]).AsNoTracking().SingleOrDefaultAsync(k => k.Prefix == prefix, ct);
        if (key is null || key.OrganizationId != organizationId || !CryptographicOperations.FixedTimeEquals(Hash(presented!), key.SecretHash))
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var standing = (await db.KeyStandingsAsync([key], now, ct))[key.Id];
        if (standing.EffectiveRole is not { } role)
        {
            return null;
        }

        if (key.LastUsedAt is null || now - key.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            await db.Set<ApiKey>().IgnoreQueryFilters([TenantFilter.Name]).Where(k => k.Id == key.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), ct);
        }

        return new ApiKeyIdentity(key.Id, key.OrganizationId, role, key.CreatedByUserId, key.Name);
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

    private static ApiKeyView View(ApiKey k, string createdBy, ApiKeyStanding standing) =>
        new(k.Id, k.Name, k.Prefix, k.Role, createdBy, k.CreatedAt, k.ExpiresAt, k.LastUsedAt, k.RevokedAt, standing.EffectiveRole, standing.Refusal);

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

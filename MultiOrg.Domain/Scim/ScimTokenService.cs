using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Scim;

/// <summary>Who a SCIM token is, once its secret was verified: the role is its creator's of this moment (OWNER or ADMIN).</summary>
public sealed record ScimTokenIdentity(Guid TokenId, Guid OrganizationId, OrganizationRole Role, string CreatedByUserId, string Name);

/// <summary>A token as the Security page lists it; <see cref="Stopped"/> says why it no longer works, if it does not.</summary>
public sealed record ScimTokenView(Guid Id, string Name, string Prefix, string CreatedBy, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? RevokedAt, string? Stopped)
{
    public bool Works => RevokedAt is null && Stopped is null;
}

/// <summary>A new token: <see cref="Secret"/> is the only time the whole token is ever available.</summary>
public sealed record CreatedScimToken(ScimTokenView Token, string Secret);

/// <summary>The organization's SCIM tokens (OWNER creates and revokes), and the lookup that turns a presented token into an identity.</summary>
public sealed class ScimTokenService(IMultiOrgDbFactory dbFactory, TenantContext tenant, TimeProvider time)
{
    /// <summary>Not <c>mo_</c>: an API key's handler and the JSON API never mistake a SCIM token for a key of theirs.</summary>
    public const string TokenPrefix = "moscim_";

    public async Task<IReadOnlyList<ScimTokenView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.ManageDirectorySync, ct);
        var tokens = await db.Set<ScimToken>().AsNoTracking().OrderByDescending(t => t.CreatedAt).ToListAsync(ct);
        var views = new List<ScimTokenView>();
        foreach (var token in tokens)
        {
            var creator = await db.Users.Where(u => u.Id == token.CreatedByUserId).Select(u => u.DisplayName ?? u.Email).FirstOrDefaultAsync(ct);
            var refusal = token.RevokedAt is null ? (await StandingAsync(db, token, ct)).Refusal : null;
            views.Add(View(token, creator ?? "A deleted account", refusal));
        }

        return views;
    }

    public async Task<CreatedScimToken> CreateAsync(string? name, CancellationToken ct = default)
    {
        var cleanName = Text.UserText.Name(name, "name", "Name", ScimToken.NameMaxLength);
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ManageDirectorySync, ct);
        var prefix = TokenPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = $"{prefix}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
        var token = new ScimToken
        {
            Name = cleanName,
            Prefix = prefix,
            SecretHash = Hash(secret),
            CreatedByUserId = me.UserId,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Set<ScimToken>().Add(token);
        await db.SaveChangesAsync(ct);
        var creator = await db.Users.Where(u => u.Id == me.UserId).Select(u => u.DisplayName ?? u.Email).FirstOrDefaultAsync(ct);
        return new CreatedScimToken(View(token, creator ?? me.UserId, null), secret);
    }

    public async Task RevokeAsync(Guid tokenId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.ManageDirectorySync, ct);
        var token = await db.Set<ScimToken>().SingleOrDefaultAsync(t => t.Id == tokenId, ct)
            ?? throw new DomainException(DomainErrorKind.NotFound, "SCIM token not found.");
        token.RevokedAt ??= time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The identity of a token presented to one organization's SCIM route, or null when it is unknown, of another
    /// organization, revoked, does not match, or its creator is no longer an owner or admin there (or is locked out or
    /// gone). Read from the database at each request; the lookup by prefix is one of the audited cross-tenant reads.
    /// </summary>
    public async Task<ScimTokenIdentity?> AuthenticateAsync(string? presented, Guid organizationId, CancellationToken ct = default)
    {
        if (presented is null || !presented.StartsWith(TokenPrefix, StringComparison.Ordinal) || presented.Length > 200)
        {
            return null;
        }

        var separator = presented.IndexOf('_', TokenPrefix.Length);
        if (separator <= TokenPrefix.Length)
        {
            return null;
        }

        var prefix = presented[..separator];
        await using var db = dbFactory.Create();
        var token = await db.Set<ScimToken>().IgnoreQueryFilters([TenantFilter.Name]).AsNoTracking().SingleOrDefaultAsync(t => t.Prefix == prefix, ct);
        if (token is null || token.OrganizationId != organizationId || token.RevokedAt is not null
            || !CryptographicOperations.FixedTimeEquals(Hash(presented), token.SecretHash))
        {
            return null;
        }

        var (role, refusal) = await StandingAsync(db, token, ct);
        if (refusal is not null || role is not { } acting)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            await db.Set<ScimToken>().IgnoreQueryFilters([TenantFilter.Name]).Where(t => t.Id == token.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), ct);
        }

        return new ScimTokenIdentity(token.Id, token.OrganizationId, acting, token.CreatedByUserId, token.Name);
    }

    /// <summary>
    /// Enters the token's organization for this request: the allow-list binds an identity provider like anyone else.
    /// Only the door calls it (<see cref="OrganizationDoor"/>), after it admitted the token.
    /// </summary>
    internal async Task<OrganizationSummary> EnterAsync(ScimTokenIdentity identity, CancellationToken ct = default)
    {
        var name = await LookupNameAsync(identity.OrganizationId, ct);
        await using (var inside = dbFactory.CreateFor(tenant.ActingIn(identity.CreatedByUserId, identity.OrganizationId, name, identity.Role)))
        {
            await Security.SecurityGate.CheckEntryAsync(inside, tenant, identity.CreatedByUserId, name, ct);
        }

        tenant.Enter(identity.OrganizationId, name, identity.Role);
        return new OrganizationSummary(identity.OrganizationId, name, identity.Role);
    }

    private async Task<string> LookupNameAsync(Guid organizationId, CancellationToken ct)
    {
        await using var db = dbFactory.Create();
        return await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.Name).SingleAsync(ct);
    }

    /// <summary>The creator's role now, when it still backs the token (a direct OWNER or ADMIN, not locked out), or why not.</summary>
    private async Task<(OrganizationRole? Role, string? Refusal)> StandingAsync(IMultiOrgDb db, ScimToken token, CancellationToken ct)
    {
        var creator = await db.Users.Where(u => u.Id == token.CreatedByUserId).Select(u => new { u.LockoutEnd }).SingleOrDefaultAsync(ct);
        if (creator is null)
        {
            return (null, "Its creator's account was deleted.");
        }

        if (creator.LockoutEnd > time.GetUtcNow())
        {
            return (null, "Its creator's account is locked out.");
        }

        var role = await db.OrganizationMembers
            .Where(m => m.OrganizationId == token.OrganizationId && m.UserId == token.CreatedByUserId)
            .Select(m => (OrganizationRole?)m.Role).SingleOrDefaultAsync(ct);
        return role is OrganizationRole.Owner or OrganizationRole.Admin
            ? (role, null)
            : (null, "Its creator is no longer an owner or admin of this organization.");
    }

    private static ScimTokenView View(ScimToken t, string createdBy, string? stopped) =>
        new(t.Id, t.Name, t.Prefix, createdBy, t.CreatedAt, t.LastUsedAt, t.RevokedAt, stopped);

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}

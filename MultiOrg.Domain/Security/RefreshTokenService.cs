using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Security;

public enum RefreshTokenUse
{
    /// <summary>The token had not been used: it may be exchanged now, and never again.</summary>
    First,

    /// <summary>The token was used before: a replay. Its family has just been ended and the replay audited.</summary>
    Replayed,

    /// <summary>The token's family was ended by an earlier replay.</summary>
    FamilyEnded,
}

/// <summary>What a person's bearer tokens are checked against: the account's current stamp and lockout, and ended families.</summary>
public sealed record TokenStanding(string? SecurityStamp, DateTimeOffset? LockoutEnd, IReadOnlySet<string> EndedFamilies);

/// <summary>
/// Refresh tokens work once. Each exchange is recorded; a token presented a second time ends every token of its family
/// (the sign-in it descends from) and is recorded in the audit log of each of the person's organizations.
/// </summary>
public sealed class RefreshTokenService(IMultiOrgDbFactory dbFactory, TenantContext tenant, TimeProvider time)
{
    public const string ReplayedAction = "token.refresh-reused";

    /// <param name="keepFor">The refresh token lifetime: how long a token issued by this exchange stays valid.</param>
    public async Task<RefreshTokenUse> UseAsync(string tokenId, string familyId, string userId, TimeSpan keepFor, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using (var db = dbFactory.Create())
        {
            var tokens = db.Set<UsedRefreshToken>();
            if (await tokens.AnyAsync(t => t.FamilyId == familyId && t.FamilyEndedAt != null, ct))
            {
                return RefreshTokenUse.FamilyEnded;
            }

            if (!await tokens.AnyAsync(t => t.Id == tokenId, ct))
            {
                tokens.Add(new UsedRefreshToken { Id = tokenId, FamilyId = familyId, UserId = userId, UsedAt = now, KeepUntil = now + keepFor });
                try
                {
                    await db.SaveChangesAsync(ct);
                    return RefreshTokenUse.First;
                }
                catch (DbUpdateException)
                {
                    // The same token exchanged twice at the same instant: the key refused the second, which is a replay.
                }
            }
        }

        await EndFamilyAsync(familyId, userId, now, ct);
        return RefreshTokenUse.Replayed;
    }

    /// <summary>One read per person: what their access tokens must still match.</summary>
    public async Task<TokenStanding?> StandingOfAsync(string userId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.SecurityStamp, u.LockoutEnd }).SingleOrDefaultAsync(ct);
        if (user is null)
        {
            return null;
        }

        var ended = await db.Set<UsedRefreshToken>().AsNoTracking().Where(t => t.UserId == userId && t.FamilyEndedAt != null)
            .Select(t => t.FamilyId).Distinct().ToListAsync(ct);
        return new TokenStanding(user.SecurityStamp, user.LockoutEnd, ended.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Rows whose family can hold no valid token any more (the scheduled purge).</summary>
    public async Task<int> PurgeExpiredAsync(DateTime now, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        return await db.Set<UsedRefreshToken>().Where(t => t.KeepUntil <= now).ExecuteDeleteAsync(ct);
    }

    private async Task EndFamilyAsync(string familyId, string userId, DateTime now, CancellationToken ct)
    {
        List<(Guid Id, string Name, Organizations.OrganizationRole Role)> memberships;
        await using (var db = dbFactory.Create())
        {
            await db.Set<UsedRefreshToken>().Where(t => t.FamilyId == familyId && t.FamilyEndedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.FamilyEndedAt, now), ct);
            memberships = [.. (await db.OrganizationMembers.AsNoTracking().Where(m => m.UserId == userId)
                .Select(m => new { m.OrganizationId, m.Organization!.Name, m.Role }).ToListAsync(ct))
                .Select(m => (m.OrganizationId, m.Name, m.Role))];
        }

        // The person's token was replayed, by them or by whoever copied it: each organization they can act in hears of it.
        foreach (var (id, name, role) in memberships)
        {
            await using var db = dbFactory.CreateFor(tenant.ActingIn(userId, id, name, role));
            await db.WriteAsync(
                async ct =>
                {
                    db.AuditEvent(ReplayedAction, "User", userId, new { family = familyId });
                    await db.SaveChangesAsync(ct);
                },
                ct);
        }
    }
}

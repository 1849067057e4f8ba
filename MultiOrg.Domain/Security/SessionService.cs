using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Security;

public sealed record SessionView(Guid Id, string Device, string? Address, DateTime CreatedAt, DateTime LastSeenAt, bool IsCurrent);

/// <summary>
/// A person's signed-in browsers: started at sign-in, seen on each request, ended by signing out (here or elsewhere),
/// and all ended at once by an owner or admin of an organization the person belongs to ("sign out everywhere").
/// </summary>
public sealed class SessionService(IMultiOrgDbFactory dbFactory, TenantContext tenant, TimeProvider time, Events.IOrganizationEvents events)
{
    /// <summary>How stale "last seen" may get before a request writes it again (one write a minute, not one a request).</summary>
    public static readonly TimeSpan SeenResolution = TimeSpan.FromMinutes(1);

    public async Task<Guid> StartAsync(string userId, string? device, string? address, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var session = new UserSession
        {
            UserId = userId,
            Device = Shorten(device),
            Address = address,
            CreatedAt = now,
            LastSeenAt = now,
        };
        await using var db = dbFactory.Create();
        db.Set<UserSession>().Add(session);
        await db.SaveChangesAsync(ct);
        return session.Id;
    }

    /// <summary>False once the session was ended (signed out here or elsewhere); otherwise notes that it was seen.</summary>
    public async Task<bool> IsActiveAsync(Guid sessionId, string userId, string? address, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = dbFactory.Create();
        var session = await db.Set<UserSession>().SingleOrDefaultAsync(s => s.Id == sessionId && s.UserId == userId, ct);
        if (session is null || session.EndedAt is not null)
        {
            return false;
        }

        if (now - session.LastSeenAt >= SeenResolution)
        {
            session.LastSeenAt = now;
            session.Address = address ?? session.Address;
            await db.SaveChangesAsync(ct);
        }

        return true;
    }

    /// <summary>This browser signed out: its session ends (the cookie is gone anyway; the list should say so too).</summary>
    public async Task EndAsync(Guid sessionId, string userId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.Set<UserSession>().Where(s => s.Id == sessionId && s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, time.GetUtcNow().UtcDateTime), ct);
    }

    public async Task<IReadOnlyList<SessionView>> ListMineAsync(Guid? currentSessionId, CancellationToken ct = default)
    {
        var userId = tenant.RequireUser();
        await using var db = dbFactory.Create();
        return await db.Set<UserSession>().AsNoTracking()
            .Where(s => s.UserId == userId && s.EndedAt == null)
            .OrderByDescending(s => s.LastSeenAt)
            .Select(s => new SessionView(s.Id, s.Device, s.Address, s.CreatedAt, s.LastSeenAt, s.Id == currentSessionId))
            .ToListAsync(ct);
    }

    /// <summary>Ends one of the acting person's own sessions; another person's session id is simply not found.</summary>
    public async Task EndMineAsync(Guid sessionId, CancellationToken ct = default)
    {
        var userId = tenant.RequireUser();
        await using var db = dbFactory.Create();
        var ended = await db.Set<UserSession>().Where(s => s.Id == sessionId && s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, time.GetUtcNow().UtcDateTime), ct);
        if (ended == 0)
        {
            throw new DomainException(DomainErrorKind.NotFound, "That session was not found, or it has already ended.");
        }
    }

    public async Task<int> EndAllMineExceptAsync(Guid? keepSessionId, CancellationToken ct = default)
    {
        var userId = tenant.RequireUser();
        await using var db = dbFactory.Create();
        return await db.Set<UserSession>().Where(s => s.UserId == userId && s.EndedAt == null && s.Id != keepSessionId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, time.GetUtcNow().UtcDateTime), ct);
    }

    /// <summary>
    /// An owner or admin signs a member of the current organization out of every browser and token: their security
    /// stamp changes (open tabs end at the next revalidation, within a minute) and their sessions end. Only an owner
    /// does this to an owner. Audited in the organization as a change of the membership.
    /// </summary>
    public async Task SignOutMemberEverywhereAsync(string targetUserId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var (me, now) = await db.WriteAsync(
            async ct =>
            {
                var me = await db.RequireAsync(tenant, Permission.RemoveMembers, ct);
                var member = await db.OrganizationMembers.SingleOrDefaultAsync(m => m.OrganizationId == me.OrganizationId && m.UserId == targetUserId, ct)
                    ?? throw new DomainException(DomainErrorKind.NotFound, "Member not found.");
                me.RequireMayActOn(member.Role, TargetAction.SignOutEverywhere);

                var now = time.GetUtcNow().UtcDateTime;
                member.SignedOutEverywhereAt = now;
                db.AuditAs("member.signed-out-everywhere", nameof(OrganizationMember), member.Id.ToString(), new { userId = targetUserId });
                await db.SaveChangesAsync(ct);
                await db.Users.Where(u => u.Id == targetUserId)
                    .ExecuteUpdateAsync(s => s.SetProperty(u => u.SecurityStamp, Guid.NewGuid().ToString()), ct);
                await db.Set<UserSession>().Where(s => s.UserId == targetUserId && s.EndedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), ct);

                return (me, now);
            },
            ct);

        // Their open tabs go to the sign-in page now, not at the next revalidation.
        await events.PublishAsync(new(Events.OrganizationEventKind.SignedOutEverywhere, me.OrganizationId, targetUserId), ct);
    }

    private static string Shorten(string? device)
    {
        var text = (device ?? "").Trim();
        return text.Length <= UserSession.DeviceMaxLength ? text : text[..UserSession.DeviceMaxLength];
    }
}

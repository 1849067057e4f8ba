using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Domain.Support;

public sealed record InternalUserView(string Id, string Email, string Name, GlobalRole Role, DateTime CreatedAt, string? ImpersonatingOrganization);

public sealed record ImpersonationRequest(Guid OrganizationId, string? Reason, int Minutes = ImpersonationSession.DefaultMinutes, bool WriteEnabled = false, string? WriteReason = null);

public sealed record SupportOrganizationView(Guid Id, string Name, OrganizationKind Kind, string? PartnerName, int MemberCount, DateTime CreatedAt);

/// <summary>
/// The internal support console: finds organizations across all tenants by name, id or a member's email. It reads only
/// the organization directory (names, kinds, counts), never an organization's own data. Support staff and system
/// administrators only.
/// </summary>
public sealed class SupportService(IMultiOrgDbFactory dbFactory, TenantContext tenant, Events.IOrganizationEvents events, TimeProvider time)
{
    public const int MaxResults = 50;

    public const string EndedBySupportUser = "support user";
    public const string EndedByTimeLimit = "time limit";

    public async Task<bool> IsSupportStaffAsync(CancellationToken ct = default) => (await GlobalRoleAsync(ct)).IsSupportStaff();

    /// <summary>The acting person's installation-wide role (<see cref="Access.GlobalRoleAsync"/>).</summary>
    public async Task<GlobalRole> GlobalRoleAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        return await db.GlobalRoleAsync(tenant, ct);
    }

    /// <summary>
    /// Starts working inside an organization as support: a written reason, a time limit (30 minutes unless chosen, at
    /// most 4 hours), read-only unless a system administrator opens it for writing with a reason of its own. The start
    /// is written to the organization's own audit log, so its owners see it.
    /// </summary>
    public async Task<ImpersonationGrant> StartImpersonationAsync(ImpersonationRequest request, CancellationToken ct = default)
    {
        var role = await GlobalRoleAsync(ct);
        role.RequireMayImpersonate(writeEnabled: false);
        var supportUserId = tenant.RequireUser();
        if (tenant.Impersonation is { } current)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"You are already impersonating {current.OrganizationName}. End that impersonation first.");
        }

        var reason = RequireReason(request.Reason, "reason", "Write why you are impersonating (at least 10 characters).");
        if (request.Minutes is < 1 or > ImpersonationSession.MaxMinutes)
        {
            throw DomainException.Invalid("minutes", $"The time limit must be between 1 and {ImpersonationSession.MaxMinutes} minutes (4 hours).");
        }

        string? writeReason = null;
        if (request.WriteEnabled)
        {
            role.RequireMayImpersonate(writeEnabled: true);
            writeReason = RequireReason(request.WriteReason, "writeReason", "Write why this impersonation must change data (at least 10 characters).");
        }

        await using var db = dbFactory.Create();
        var (organization, session) = await db.WriteAsync(
            request.OrganizationId,
            async ct =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                var open = await db.Set<ImpersonationSession>().Where(s => s.SupportUserId == supportUserId && s.EndedAt == null).ToListAsync(ct);
                if (open.Any(s => s.IsActiveAt(now)))
                {
                    throw new DomainException(DomainErrorKind.Conflict, "You are already impersonating an organization in another tab. End that impersonation first.");
                }

                await CloseExpiredAsync(db, open, ct);
                var organization = await db.Organizations.AsNoTracking().Where(o => o.Id == request.OrganizationId)
                    .Select(o => new { o.Id, o.Name }).FirstOrDefaultAsync(ct)
                    ?? throw new DomainException(DomainErrorKind.NotFound, "That organization does not exist.");

                var session = new ImpersonationSession
                {
                    SupportUserId = supportUserId,
                    OrganizationId = organization.Id,
                    Reason = reason,
                    WriteEnabled = request.WriteEnabled,
                    WriteReason = writeReason,
                    StartedAt = now,
                    ExpiresAt = now.AddMinutes(request.Minutes),
                };
                db.Set<ImpersonationSession>().Add(session);
                db.AuditAs("impersonation.started", nameof(Organization), organization.Id.ToString(), new
                {
                    session = session.Id,
                    reason,
                    minutes = request.Minutes,
                    expiresAt = session.ExpiresAt,
                    writeEnabled = session.WriteEnabled,
                    writeReason,
                });
                await db.SaveChangesAsync(ct);
                return (organization, session);
            },
            ct);

        var grant = new ImpersonationGrant(session.Id, organization.Id, organization.Name, reason, session.ExpiresAt, session.WriteEnabled);
        tenant.BeginImpersonation(grant);
        return grant;
    }

    /// <summary>Ends the circuit's impersonation (by the support user, or by the time limit) and records it in the organization's log.</summary>
    public async Task EndImpersonationAsync(CancellationToken ct = default)
    {
        if (tenant.Impersonation is not { } grant)
        {
            return;
        }

        bool closedHere;
        await using (var db = dbFactory.Create())
        {
            closedHere = await db.WriteAsync(
                grant.OrganizationId,
                async ct =>
                {
                    var session = await db.Set<ImpersonationSession>().SingleOrDefaultAsync(s => s.Id == grant.SessionId, ct);
                    if (session is not { EndedAt: null })
                    {
                        return false;
                    }

                    Close(db, session, time.GetUtcNow().UtcDateTime);
                    await db.SaveChangesAsync(ct);
                    return true;
                },
                ct);
        }

        tenant.EndImpersonation();
        if (!closedHere)
        {
            // Another tab ended it (and told every tab); this one only lets go of it.
            return;
        }

        // The support user's other tabs (on any server) drop the impersonation now.
        await events.PublishAsync(new(Events.OrganizationEventKind.ImpersonationEnded, grant.OrganizationId, tenant.UserId, grant.SessionId), ct);
    }

    /// <summary>
    /// A new tab or a reconnect picks up the person's open impersonation from the database, so every tab shows the
    /// banner; one whose time ran out while no tab was open is closed and logged now (unless <paramref name="mayWrite"/>
    /// is false: prerendering never writes).
    /// </summary>
    public async Task<ImpersonationGrant?> ResumeImpersonationAsync(bool mayWrite = true, CancellationToken ct = default)
    {
        if (!Access.MayResumeImpersonation(tenant) || tenant.UserId is not { } userId)
        {
            return null;
        }

        if (tenant.Impersonation is { } current)
        {
            return current;
        }

        await using var db = dbFactory.Create();
        var open = await db.Set<ImpersonationSession>().Where(s => s.SupportUserId == userId && s.EndedAt == null).ToListAsync(ct);
        if (open.Count == 0)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (mayWrite)
        {
            await CloseExpiredAsync(db, open, ct);
        }

        var active = open.FirstOrDefault(s => s.IsActiveAt(now));
        if (active is null)
        {
            return null;
        }

        var name = await db.Organizations.Where(o => o.Id == active.OrganizationId).Select(o => o.Name).FirstAsync(ct);
        var grant = new ImpersonationGrant(active.Id, active.OrganizationId, name, active.Reason, active.ExpiresAt, active.WriteEnabled);
        tenant.BeginImpersonation(grant);
        return grant;
    }

    /// <summary>Support staff and system administrators, for system administrators only.</summary>
    public async Task<IReadOnlyList<InternalUserView>> ListInternalUsersAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireSystemAdminAsync(tenant, "Only system administrators can see the internal users.", ct);
        var now = time.GetUtcNow().UtcDateTime;
        return await db.Users.AsNoTracking()
            .Where(u => u.GlobalRole != GlobalRole.User)
            .OrderBy(u => u.GlobalRole).ThenBy(u => u.NormalizedEmail)
            .Select(u => new InternalUserView(
                u.Id,
                u.Email ?? "",
                u.DisplayName ?? u.Email ?? "",
                u.GlobalRole,
                u.CreatedAt,
                db.Set<ImpersonationSession>()
                    .Where(s => s.SupportUserId == u.Id && s.EndedAt == null && s.ExpiresAt > now)
                    .Select(s => db.Organizations.Where(o => o.Id == s.OrganizationId).Select(o => o.Name).FirstOrDefault())
                    .FirstOrDefault()))
            .ToListAsync(ct);
    }

    private static string RequireReason(string? value, string field, string message)
    {
        var reason = value?.Trim() ?? "";
        if (reason.Length < ImpersonationSession.ReasonMinLength)
        {
            throw DomainException.Invalid(field, message);
        }

        return reason.Length <= ImpersonationSession.ReasonMaxLength
            ? reason
            : throw DomainException.Invalid(field, $"Keep the reason under {ImpersonationSession.ReasonMaxLength} characters.");
    }

    /// <summary>Sessions whose time ran out with no tab to notice: closed at their limit, one audit entry each.</summary>
    private async Task CloseExpiredAsync(IMultiOrgDb db, List<ImpersonationSession> open, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var session in open.Where(s => !s.IsActiveAt(now)))
        {
            Close(db, session, session.ExpiresAt);
            await db.SaveChangesAsync(ct);
        }
    }

    private static void Close(IMultiOrgDb db, ImpersonationSession session, DateTime now)
    {
        var expired = now >= session.ExpiresAt;
        session.EndedAt = expired ? session.ExpiresAt : now;
        session.EndedBy = expired ? EndedByTimeLimit : EndedBySupportUser;
        db.AuditAs("impersonation.ended", nameof(Organization), session.OrganizationId.ToString(), new
        {
            session = session.Id,
            reason = session.Reason,
            endedBy = session.EndedBy,
            minutes = Math.Round((session.EndedAt.Value - session.StartedAt).TotalMinutes, 1),
        });
    }

    public async Task<IReadOnlyList<SupportOrganizationView>> SearchOrganizationsAsync(string? query, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireSupportStaffAsync(tenant, "Only support staff can search across organizations.", ct: ct);
        var term = query?.Trim() ?? "";
        if (term.Length < 2)
        {
            throw DomainException.Invalid("query", "Type at least two characters: a name, an organization id or a member's email.");
        }

        var organizations = db.Organizations.AsNoTracking();
        if (Guid.TryParse(term, out var id))
        {
            organizations = organizations.Where(o => o.Id == id);
        }
        else
        {
            var upper = term.ToUpperInvariant();
            organizations = organizations.Where(o =>
                o.Name.ToUpper().Contains(upper) || o.Members.Any(m => m.SortEmail.Contains(upper)));
        }

        var rows = await organizations
            .OrderBy(o => o.Name)
            .Take(MaxResults)
            .Select(o => new SupportOrganizationView(
                o.Id,
                o.Name,
                o.Kind,
                db.Organizations.Where(p => p.Id == o.PartnerOrganizationId).Select(p => p.Name).FirstOrDefault(),
                o.Members.Count,
                o.CreatedAt))
            .ToListAsync(ct);
        return rows;
    }
}

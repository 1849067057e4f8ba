using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Organizations;

/// <summary>Creating, entering, switching, editing and deleting organizations for the acting user.</summary>
public sealed class OrganizationService(IMultiOrgDbFactory dbFactory, TenantContext tenant, Events.IOrganizationEvents events, TimeProvider time)
{
    public async Task<OrganizationSummary> CreateAsync(string? name, CancellationToken ct = default)
    {
        var userId = tenant.RequireUser();
        var normalized = OrganizationName.Normalize(name);
        Access.RequireNotImpersonating(tenant, DomainMessages.NotWhileImpersonating);

        await using var db = dbFactory.Create();
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct)
            ?? throw new DomainException(DomainErrorKind.Unauthenticated, "Sign in to continue.");
        var organization = new Organization { Name = normalized };
        organization.Members.Add(OrganizationMember.For(user, organization.Id, OrganizationRole.Owner));
        db.Organizations.Add(organization);
        user.LastOrganizationId = organization.Id;
        await db.SaveChangesAsync(ct);

        tenant.Enter(organization.Id, organization.Name, OrganizationRole.Owner);
        return new OrganizationSummary(organization.Id, organization.Name, OrganizationRole.Owner);
    }

    public async Task<IReadOnlyList<OrganizationSummary>> ListMineAsync(CancellationToken ct = default)
    {
        var userId = tenant.RequireUser();
        await using var db = dbFactory.Create();
        if (tenant.ApiKey is { } key)
        {
            // A key sees its one organization, whatever its creator belongs to.
            return await FindSummaryAsync(db, userId, key.OrganizationId, ct) is ({ } only, _) ? [only] : [];
        }

        return await ListForUserAsync(db, userId, ct);
    }

    /// <summary>Makes <paramref name="organizationId"/> this circuit's or request's organization, if the user belongs to it.</summary>
    internal async Task<OrganizationSummary> EnterAsync(Guid organizationId, CancellationToken ct = default)
    {
        using var span = AppTracing.Source.StartActivity("organization.enter");
        span?.SetTag(AppTracing.OrganizationTag, organizationId);
        var userId = tenant.RequireUser();
        await using var db = dbFactory.Create();
        var (found, access) = await FindSummaryAsync(db, userId, organizationId, ct);
        var summary = found ?? throw new DomainException(DomainErrorKind.Forbidden, DomainMessages.NoAccess);

        // The organization's own policies (allow-list, two-factor, password age), read as that organization.
        await using (var inside = dbFactory.CreateFor(tenant.ActingIn(userId, summary.Id, summary.Name, summary.Role)))
        {
            await Security.SecurityGate.CheckEntryAsync(inside, tenant, userId, summary.Name, ct);
        }

        tenant.Enter(summary.Id, summary.Name, summary.Role, access!.Reach);
        return summary;
    }

    /// <summary>
    /// Refuses (403) unless the acting user may do this in the current organization (a team-scoped permission: in some
    /// team or department of it). The API asks before it binds a request, so a caller without the permission learns
    /// nothing from the body's validation or the ids' lookups; each service still checks its own.
    /// </summary>
    public async Task RequirePermissionAsync(Permission permission, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireSomewhereAsync(tenant, permission, ct);
    }

    /// <summary>Leaves the current organization without entering another (an idle timeout): the tab shows no organization's data.</summary>
    internal void ExitCurrent() => tenant.Exit();

    /// <summary>Enters the organization and remembers it as the user's last-used one (where a new tab starts).</summary>
    internal async Task<OrganizationSummary> SwitchAsync(Guid organizationId, CancellationToken ct = default)
    {
        var summary = await EnterAsync(organizationId, ct);
        if (tenant.Impersonation is not null)
        {
            // Support's own "last used" stays theirs: a new tab during an impersonation resumes it from its session.
            return summary;
        }

        var userId = tenant.RequireUser();
        await using var db = dbFactory.Create();
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastOrganizationId, organizationId), ct);

        // Activity for the dashboard's "active in the last 7/30 days": at most one write an hour per person and
        // organization, and not an audited change (nobody changed anything).
        var now = time.GetUtcNow().UtcDateTime;
        var stale = now.AddHours(-1);
        await db.OrganizationMembers.Where(m => m.OrganizationId == organizationId && m.UserId == userId && (m.LastActiveAt == null || m.LastActiveAt < stale))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LastActiveAt, now), ct);
        return summary;
    }

    public async Task<OrganizationDetails> GetCurrentAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ViewOrganization, ct);
        return await db.Organizations
            .Where(o => o.Id == me.OrganizationId)
            .Select(o => new OrganizationDetails(
                o.Id,
                o.Name,
                me.Role,
                o.Members.Count,
                o.Members.Count(m => m.Role == OrganizationRole.Owner),
                o.CreatedAt,
                o.UpdatedAt,
                o.Kind,
                o.PartnerOrganizationId,
                db.Organizations.Where(p => p.Id == o.PartnerOrganizationId).Select(p => p.Name).FirstOrDefault(),
                db.Organizations.Count(c => c.PartnerOrganizationId == o.Id),
                o.CountryCode))
            .SingleAsync(ct);
    }

    public async Task<OrganizationDetails> UpdateAsync(string? name, CancellationToken ct = default)
    {
        var normalized = OrganizationName.Normalize(name);
        await using (var db = dbFactory.Create())
        {
            var me = await db.RequireAsync(tenant, Permission.EditOrganization, ct);
            var organization = await db.Organizations.SingleAsync(o => o.Id == me.OrganizationId, ct);
            organization.Name = normalized;
            await db.SaveChangesAsync(ct);
            tenant.Enter(organization.Id, organization.Name, me.Role);
        }

        return await GetCurrentAsync(ct);
    }

    /// <summary>Deletes the current organization with its memberships and data; nobody keeps it as last-used.</summary>
    public async Task DeleteAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.WriteAsync(
            async ct =>
            {
                var me = await db.RequireAsync(tenant, Permission.DeleteOrganization, ct);
                var clients = await db.Organizations.CountAsync(o => o.PartnerOrganizationId == me.OrganizationId, ct);
                if (clients > 0)
                {
                    throw new DomainException(DomainErrorKind.Conflict, $"This partner still runs {clients} client organization(s). Delete them first.");
                }

                await db.Users.Where(u => u.LastOrganizationId == me.OrganizationId)
                    .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastOrganizationId, (Guid?)null), ct);

                await KeepAuditTrailAsync(db, me, ct);

                // Memberships and tenant-owned rows go with it through the foreign keys' cascade; the audit log has no such key.
                await db.Organizations.Where(o => o.Id == me.OrganizationId).ExecuteDeleteAsync(ct);

                return me;
            },
            ct);
        tenant.Exit();
        await events.PublishAsync(new(Events.OrganizationEventKind.OrganizationDeleted, me.OrganizationId), ct);
    }

    /// <summary>
    /// The deletion is the chain's last entry, and the chain's two ends (the retention anchor and that entry) are written
    /// beside it, so support can still verify the whole trail after the organization, and its policy row, are gone.
    /// </summary>
    private static async Task KeepAuditTrailAsync(IMultiOrgDb db, EffectiveAccess me, CancellationToken ct)
    {
        var name = await db.Organizations.Where(o => o.Id == me.OrganizationId).Select(o => o.Name).SingleAsync(ct);
        db.AuditEvent("organization.deleted", nameof(Organization), me.OrganizationId.ToString(), new { name });
        await db.SaveChangesAsync(ct);
        var last = await db.AuditEntries.OrderByDescending(a => a.Sequence).Select(a => new { a.Sequence, a.Hash, a.OccurredAt }).FirstAsync(ct);
        var anchor = await db.Set<Security.SecurityPolicy>()
            .Select(p => new { p.AuditPurgedThroughSequence, p.AuditPurgedThroughHash }).SingleOrDefaultAsync(ct);
        db.Set<Audit.DeletedOrganization>().Add(new Audit.DeletedOrganization
        {
            Id = me.OrganizationId,
            Name = name,
            DeletedAt = last.OccurredAt,
            DeletedByUserId = me.UserId,
            AuditPurgedThroughSequence = anchor?.AuditPurgedThroughSequence ?? 0,
            AuditPurgedThroughHash = anchor?.AuditPurgedThroughHash,
            LastSequence = last.Sequence,
            LastHash = last.Hash,
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Makes an organization a partner (or standard again). System administrators only.</summary>
    public async Task<OrganizationDetails> SetKindAsync(Guid organizationId, OrganizationKind kind, CancellationToken ct = default)
    {
        tenant.RequireUser();
        await using (var db = dbFactory.Create())
        {
            await db.RequireSystemAdminAsync(tenant, "Only a system administrator can make an organization a partner.", ct);
            var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct)
                ?? throw new DomainException(DomainErrorKind.NotFound, "Organization not found.");
            if (kind == OrganizationKind.Partner && organization.PartnerOrganizationId is not null)
            {
                throw new DomainException(DomainErrorKind.Conflict, "A client organization cannot also be a partner.");
            }

            if (kind == OrganizationKind.Standard && await db.Organizations.AnyAsync(o => o.PartnerOrganizationId == organizationId, ct))
            {
                throw new DomainException(DomainErrorKind.Conflict, "This partner still has client organizations.");
            }

            organization.Kind = kind;
            await db.SaveChangesAsync(ct);
        }

        if (tenant.OrganizationId == organizationId)
        {
            return await GetCurrentAsync(ct);
        }

        return new OrganizationDetails(organizationId, "", OrganizationRole.Member, 0, 0, default, default, kind);
    }

    /// <summary>
    /// The user, their organizations and the one a new tab should start in: the last-used organization while they
    /// still belong to it, otherwise the first available, otherwise none.
    /// </summary>
    public async Task<UserContext> GetUserContextAsync(CancellationToken ct = default)
    {
        var userId = tenant.RequireUser();
        await using var db = dbFactory.Create();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct)
            ?? throw new DomainException(DomainErrorKind.Unauthenticated, "Sign in to continue.");
        var organizations = tenant.ApiKey is null ? await ListForUserAsync(db, userId, ct) : await ListMineAsync(ct);
        var current = organizations.FirstOrDefault(o => o.Id == user.LastOrganizationId) ?? organizations.FirstOrDefault();
        return new UserContext(
            new UserView(user.Id, user.Email ?? "", user.Name, user.GlobalRole),
            organizations,
            current);
    }

    /// <summary>Direct memberships, plus every client of each partner the user belongs to (with the partner-staff role).</summary>
    private static async Task<IReadOnlyList<OrganizationSummary>> ListForUserAsync(IMultiOrgDb db, string userId, CancellationToken ct)
    {
        var direct = await db.OrganizationMembers
            .Where(m => m.UserId == userId)
            .Select(m => new OrganizationSummary(m.OrganizationId, m.Organization!.Name, m.Role, m.Organization.Kind, m.Organization.PartnerOrganizationId, false))
            .ToListAsync(ct);

        var partnerRoles = direct.Where(o => o.IsPartner).ToDictionary(o => o.Id, o => o.Role);
        if (partnerRoles.Count == 0)
        {
            return OrganizationOrdering.Sort(direct);
        }

        var partnerIds = partnerRoles.Keys.ToList();
        var clients = await db.Organizations
            .Where(o => o.PartnerOrganizationId != null && partnerIds.Contains(o.PartnerOrganizationId.Value))
            .Select(o => new { o.Id, o.Name, o.Kind, PartnerId = o.PartnerOrganizationId!.Value })
            .ToListAsync(ct);

        var byId = direct.ToDictionary(o => o.Id);
        foreach (var client in clients)
        {
            byId.TryGetValue(client.Id, out var mine);
            var role = Access.EffectiveRole(mine?.Role, partnerRoles[client.PartnerId])!.Value;
            if (mine is null || role != mine.Role)
            {
                byId[client.Id] = new OrganizationSummary(client.Id, client.Name, role, client.Kind, client.PartnerId, mine is null);
            }
        }

        return OrganizationOrdering.Sort(byId.Values);
    }

    private async Task<(OrganizationSummary? Summary, EffectiveAccess? Access)> FindSummaryAsync(IMultiOrgDb db, string userId, Guid organizationId, CancellationToken ct)
    {
        var access = tenant.ApiKey is { } key
            ? (key.OrganizationId == organizationId ? Access.KeyAccess(key, userId, organizationId) : null)
            : tenant.Impersonation is { } impersonation
                ? await db.ImpersonationAccessAsync(impersonation, userId, organizationId, ct)
                : await db.FindAccessAsync(userId, organizationId, ct);
        if (access is null)
        {
            return (null, null);
        }

        // Through its partner means as its partner's staff: a key or an impersonation has no membership, and no partner either.
        var viaPartner = access is { IsDirectMember: false, PartnerRole: not null };
        return (await db.Organizations
            .Where(o => o.Id == organizationId)
            .Select(o => new OrganizationSummary(o.Id, o.Name, access.Role, o.Kind, o.PartnerOrganizationId, viaPartner))
            .SingleAsync(ct), access);
    }
}

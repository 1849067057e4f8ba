using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Audit;

public sealed record DeletedOrganizationView(Guid Id, string Name, DateTime DeletedAt, string? DeletedBy, long Entries);

/// <summary>
/// The audit trails of deleted organizations, kept for the minimum retention: support staff and system administrators
/// list them, read them and verify each chain from its anchor to the deletion. Read-only, and only for organizations that
/// no longer exist: a living organization's log is its owners' and admins' (through <see cref="AuditService"/>).
/// </summary>
public sealed class AuditArchiveService(IMultiOrgDbFactory dbFactory, TenantContext tenant)
{
    private static readonly string[] TenantOnly = [TenantFilter.Name];

    public async Task<IReadOnlyList<DeletedOrganizationView>> ListDeletedAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await RequireSupportAsync(db, ct);
        return await db.Set<DeletedOrganization>().AsNoTracking().OrderByDescending(d => d.DeletedAt)
            .Select(d => new DeletedOrganizationView(
                d.Id, d.Name, d.DeletedAt,
                db.Users.Where(u => u.Id == d.DeletedByUserId).Select(u => u.Email).FirstOrDefault(),
                d.LastSequence - d.AuditPurgedThroughSequence))
            .ToListAsync(ct);
    }

    public async Task<PagedResult<AuditView>> ListEntriesAsync(Guid organizationId, int page = 1, int pageSize = 50, CancellationToken ct = default)
    {
        Paging.Require(page, pageSize, AuditQuery.MaxPageSize);
        await using var db = dbFactory.Create();
        await RequireSupportAsync(db, ct);
        await FindAsync(db, organizationId, ct);
        var entries = Entries(db, organizationId);
        var total = await entries.CountAsync(ct);
        var items = await AuditService.Project(db, entries.OrderByDescending(a => a.Sequence).Skip((page - 1) * pageSize).Take(pageSize)).ToListAsync(ct);
        return new PagedResult<AuditView>(items, total, page, pageSize);
    }

    /// <summary>The chain from its anchor, and its end where the deletion wrote it: a removed last entry shows as well.</summary>
    public async Task<AuditVerification> VerifyAsync(Guid organizationId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await RequireSupportAsync(db, ct);
        var deleted = await FindAsync(db, organizationId, ct);
        var entries = Entries(db, organizationId);
        var result = await AuditChain.VerifyAsync(entries, deleted.AuditPurgedThroughSequence, deleted.AuditPurgedThroughHash, ct);
        if (!result.Intact)
        {
            return result;
        }

        var last = await entries.OrderByDescending(a => a.Sequence).Select(a => new { a.Sequence, a.Hash }).FirstOrDefaultAsync(ct);
        return last is not null && last.Sequence == deleted.LastSequence && last.Hash.AsSpan().SequenceEqual(deleted.LastHash)
            ? result
            : new AuditVerification(false, result.Entries, deleted.LastSequence, $"Entry {deleted.LastSequence}, the deletion, is missing or changed.");
    }

    // The one cross-tenant read here: one deleted organization's entries, by its id (no living tenant can be asked).
    private static IQueryable<AuditEntry> Entries(IMultiOrgDb db, Guid organizationId) =>
        db.AuditEntries.IgnoreQueryFilters(TenantOnly).AsNoTracking().Where(a => a.OrganizationId == organizationId);

    private static async Task<DeletedOrganization> FindAsync(IMultiOrgDb db, Guid organizationId, CancellationToken ct) =>
        await db.Set<DeletedOrganization>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == organizationId, ct)
        ?? throw new DomainException(DomainErrorKind.NotFound, "No deleted organization has that id.");

    private async Task RequireSupportAsync(IMultiOrgDb db, CancellationToken ct) =>
        await db.RequireSupportStaffAsync(
            tenant, "Only support staff and system administrators read deleted organizations' audit trails.", outsideImpersonation: true, ct);
}

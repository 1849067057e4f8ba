using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Security;

/// <summary>The password rules a person must meet: the strictest of the organizations they belong to.</summary>
public sealed record PasswordRules(int MinLength, bool RequireDigit, bool RequireUpperAndLower, bool RequireSymbol, IReadOnlyList<string> Organizations)
{
    public static readonly PasswordRules Default = new(SecurityPolicy.MinPasswordLength, false, false, false, []);
}

/// <summary>One organization's audit log purged by retention.</summary>
public sealed record AuditPurge(Guid OrganizationId, long PurgedThroughSequence, int Entries);

/// <summary>
/// The two reads of security policies that cross organizations by nature, kept here and on the cross-tenant allow-list:
/// the password rules of every organization a person belongs to (a password is the person's, not one organization's),
/// and the retention job, which visits every organization that set a retention period.
/// </summary>
public sealed class SecurityLookup(IMultiOrgDbFactory dbFactory)
{
    private static readonly string[] TenantOnly = [TenantFilter.Name];

    public async Task<PasswordRules> PasswordRulesForAsync(string userId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var rules = await db.Set<SecurityPolicy>().IgnoreQueryFilters(TenantOnly).AsNoTracking()
            .Where(p => db.OrganizationMembers.IgnoreQueryFilters(TenantOnly).Any(m => m.OrganizationId == p.OrganizationId && m.UserId == userId))
            .Select(p => new
            {
                p.PasswordMinLength, p.PasswordRequireDigit, p.PasswordRequireUpperAndLower, p.PasswordRequireSymbol,
                Name = db.Organizations.IgnoreQueryFilters(TenantOnly).Where(o => o.Id == p.OrganizationId).Select(o => o.Name).Single(),
            })
            .ToListAsync(ct);
        if (rules.Count == 0)
        {
            return PasswordRules.Default;
        }

        return new PasswordRules(
            Math.Max(SecurityPolicy.MinPasswordLength, rules.Max(r => r.PasswordMinLength)),
            rules.Any(r => r.PasswordRequireDigit),
            rules.Any(r => r.PasswordRequireUpperAndLower),
            rules.Any(r => r.PasswordRequireSymbol),
            [.. rules.Select(r => r.Name).Order(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Removes, in every organization with a retention period, the audit entries older than that period as of
    /// <paramref name="now"/>. Only a prefix of the chain goes (up to the first entry that is still young enough), the
    /// last removed entry's hash becomes the chain's anchor, and the purge is itself an entry of the log. No entry younger
    /// than <paramref name="minimumRetentionDays"/> goes, whatever an organization stored (<see cref="AuditOptions"/>).
    /// </summary>
    public async Task<IReadOnlyList<AuditPurge>> PurgeExpiredAuditEntriesAsync(DateTime now, int minimumRetentionDays, CancellationToken ct = default)
    {
        await ApplyDueRetentionChangesAsync(now, ct);
        List<(Guid Id, string Name, int Days)> organizations;
        await using (var db = dbFactory.Create())
        {
            organizations = [.. (await db.Set<SecurityPolicy>().IgnoreQueryFilters(TenantOnly).AsNoTracking()
                .Where(p => p.AuditRetentionDays != null)
                .Select(p => new
                {
                    p.OrganizationId,
                    Name = db.Organizations.IgnoreQueryFilters(TenantOnly).Where(o => o.Id == p.OrganizationId).Select(o => o.Name).Single(),
                    Days = p.AuditRetentionDays!.Value,
                })
                .ToListAsync(ct)).Select(p => (p.OrganizationId, p.Name, p.Days))];
        }

        var purges = new List<AuditPurge>();
        foreach (var (id, name, stored) in organizations)
        {
            var days = Math.Max(stored, Math.Max(1, minimumRetentionDays));
            if (await PurgeAsync(TenantContext.ForJob(id, name), now.AddDays(-days), days, ct) is { } purge)
            {
                purges.Add(purge);
            }
        }

        return purges;
    }

    /// <summary>
    /// Shortenings of retention whose notice period has run out take effect, each in its organization's own audited save
    /// (a shortening cancelled meanwhile is no longer pending, so nothing happens to it).
    /// </summary>
    private async Task ApplyDueRetentionChangesAsync(DateTime now, CancellationToken ct)
    {
        List<(Guid Id, string Name)> due;
        await using (var db = dbFactory.Create())
        {
            due = [.. (await db.Set<SecurityPolicy>().IgnoreQueryFilters(TenantOnly).AsNoTracking()
                .Where(p => p.PendingAuditRetentionDays != null && p.PendingAuditRetentionAt <= now)
                .Select(p => new { p.OrganizationId, Name = db.Organizations.IgnoreQueryFilters(TenantOnly).Where(o => o.Id == p.OrganizationId).Select(o => o.Name).Single() })
                .ToListAsync(ct)).Select(p => (p.OrganizationId, p.Name))];
        }

        foreach (var (id, name) in due)
        {
            await using var db = dbFactory.CreateFor(TenantContext.ForJob(id, name));
            var policy = await db.Set<SecurityPolicy>().SingleAsync(ct);
            if (policy is { PendingAuditRetentionDays: { } days, PendingAuditRetentionAt: { } at } && at <= now)
            {
                policy.AuditRetentionDays = days;
                policy.PendingAuditRetentionDays = null;
                policy.PendingAuditRetentionAt = null;
                await db.SaveChangesAsync(ct);
            }
        }
    }

    /// <summary>
    /// The audit trails of organizations deleted more than <paramref name="minimumRetentionDays"/> ago go, with the record
    /// of their deletion: until then support can read and verify them.
    /// </summary>
    public async Task<int> PurgeDeletedOrganizationsAsync(DateTime now, int minimumRetentionDays, CancellationToken ct = default)
    {
        var cutoff = now.AddDays(-Math.Max(1, minimumRetentionDays));
        await using var db = dbFactory.Create();
        var expired = await db.Set<Audit.DeletedOrganization>().Where(d => d.DeletedAt < cutoff).Select(d => d.Id).ToListAsync(ct);
        foreach (var id in expired)
        {
            await db.WriteAsync(
                id,
                async ct =>
                {
                    await db.AuditEntries.IgnoreQueryFilters(TenantOnly).Where(a => a.OrganizationId == id).ExecuteDeleteAsync(ct);
                    return await db.Set<Audit.DeletedOrganization>().Where(d => d.Id == id).ExecuteDeleteAsync(ct);
                },
                ct);
        }

        return expired.Count;
    }

    private async Task<AuditPurge?> PurgeAsync(TenantContext job, DateTime cutoff, int days, CancellationToken ct)
    {
        await using var db = dbFactory.CreateFor(job);
        return await db.WriteAsync(
            async ct =>
            {
                var policy = await db.Set<SecurityPolicy>().SingleAsync(ct);
                var firstKept = await db.AuditEntries.Where(a => a.OccurredAt >= cutoff).MinAsync(a => (long?)a.Sequence, ct);
                var through = firstKept is { } kept
                    ? kept - 1
                    : await db.AuditEntries.MaxAsync(a => (long?)a.Sequence, ct) ?? 0;
                if (through <= policy.AuditPurgedThroughSequence)
                {
                    return (AuditPurge?)null;
                }

                var anchor = await db.AuditEntries.Where(a => a.Sequence == through).Select(a => a.Hash).SingleAsync(ct);
                var removed = await db.AuditEntries.Where(a => a.Sequence <= through).ExecuteDeleteAsync(ct);
                policy.AuditPurgedThroughSequence = through;
                policy.AuditPurgedThroughHash = anchor;
                db.AuditAs("audit.purged", "AuditLog", job.RequireOrganization().ToString(), new
                {
                    purgedThroughSequence = through,
                    entries = removed,
                    olderThan = cutoff,
                    retentionDays = days,
                    anchorHash = Convert.ToHexString(anchor),
                });
                await db.SaveChangesAsync(ct);
                return new AuditPurge(job.RequireOrganization(), through, removed);
            },
            ct);
    }
}

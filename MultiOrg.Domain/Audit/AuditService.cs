using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Csv;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Audit;

public sealed record AuditQuery(string? Action = null, string? Actor = null, DateTime? From = null, DateTime? To = null, int Page = 1, int PageSize = 50)
{
    public const int MaxPageSize = 500;
}

public sealed record AuditView(long Sequence, DateTime OccurredAt, string? ActorUserId, string Actor, string? RealActor, Door Door, string Action, string TargetType, string TargetId, string Changes, string? ClientIp);

/// <summary>Whether the organization's chain is intact, and where it first breaks if not.</summary>
public sealed record AuditVerification(bool Intact, int Entries, long? FirstBrokenSequence, string? Problem);

/// <summary>The current organization's audit log for its owners and admins: filter, page, verify, export.</summary>
public sealed partial class AuditService(IMultiOrgDbFactory dbFactory, TenantContext tenant)
{
    public async Task<PagedResult<AuditView>> ListAsync(AuditQuery query, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.ViewAuditLog, ct);
        Paging.Require(query.Page, query.PageSize, AuditQuery.MaxPageSize);
        var (page, pageSize) = (query.Page, query.PageSize);
        var entries = Filter(db, query);
        var total = await entries.CountAsync(ct);
        var items = await Project(db, entries.OrderByDescending(a => a.Sequence).Skip((page - 1) * pageSize).Take(pageSize)).ToListAsync(ct);
        return new PagedResult<AuditView>(items, total, page, pageSize);
    }

    /// <summary>Recomputes every hash in order; the first entry whose stored hash or link does not match is reported.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.ViewAuditLog, ct);

        // After a retention purge the chain starts at its anchor: the hash of the last entry removed (decision 0012).
        var anchor = await db.Set<Security.SecurityPolicy>().AsNoTracking()
            .Select(p => new { p.AuditPurgedThroughSequence, p.AuditPurgedThroughHash }).SingleOrDefaultAsync(ct);
        return await AuditChain.VerifyAsync(db.AuditEntries, anchor?.AuditPurgedThroughSequence ?? 0, anchor?.AuditPurgedThroughHash, ct);
    }

    /// <summary>The filtered log as CSV; cells a spreadsheet would run as formulas are escaped.</summary>
    public async Task<string> ExportCsvAsync(AuditQuery query, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.ViewAuditLog, ct);
        return await SafeCsv.WriteAsync(Project(db, Filter(db, query).OrderBy(a => a.Sequence)).AsAsyncEnumerable(), ct: ct);
    }

    /// <summary>
    /// The names behind the ids these entries mention (people, organizations, departments, teams), so the page shows
    /// "Mia Member" where the entry stores her id; the API and the export keep the raw ids. Ids of rows gone stay unnamed.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> NamesAsync(IEnumerable<AuditView> entries, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.ViewAuditLog, ct);
        var ids = entries.SelectMany(e => Ids.Matches($"{e.TargetId} {e.Changes}").Select(m => m.Value.ToLowerInvariant())).Distinct().ToList();
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (ids.Count == 0)
        {
            return names;
        }

        var guids = ids.Select(Guid.Parse).ToList();
        foreach (var user in await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, Name = u.DisplayName ?? u.Email }).ToListAsync(ct))
        {
            names[user.Id] = user.Name ?? user.Id;
        }

        foreach (var organization in await db.Organizations.AsNoTracking().Where(o => guids.Contains(o.Id)).Select(o => new { o.Id, o.Name }).ToListAsync(ct))
        {
            names[organization.Id.ToString()] = organization.Name;
        }

        foreach (var department in await db.Set<Teams.Department>().AsNoTracking().Where(d => guids.Contains(d.Id)).Select(d => new { d.Id, d.Name }).ToListAsync(ct))
        {
            names[department.Id.ToString()] = department.Name;
        }

        foreach (var team in await db.Set<Teams.Team>().AsNoTracking().Where(t => guids.Contains(t.Id)).Select(t => new { t.Id, t.Name }).ToListAsync(ct))
        {
            names[team.Id.ToString()] = team.Name;
        }

        return names;
    }

    [System.Text.RegularExpressions.GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial System.Text.RegularExpressions.Regex IdPattern();

    private static readonly System.Text.RegularExpressions.Regex Ids = IdPattern();

    private static IQueryable<AuditEntry> Filter(IMultiOrgDb db, AuditQuery query)
    {
        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            var action = query.Action.Trim();
            entries = entries.Where(a => a.Action.StartsWith(action));
        }

        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            var actor = query.Actor.Trim().ToUpperInvariant();
            var ids = db.Users.Where(u => u.NormalizedEmail!.Contains(actor) || (u.DisplayName != null && u.DisplayName.ToUpper().Contains(actor))).Select(u => u.Id);
            entries = entries.Where(a => a.ActorUserId != null && ids.Contains(a.ActorUserId));
        }

        if (query.From is { } from)
        {
            entries = entries.Where(a => a.OccurredAt >= from.ToUniversalTime());
        }

        if (query.To is { } to)
        {
            entries = entries.Where(a => a.OccurredAt < to.ToUniversalTime());
        }

        return entries;
    }

    /// <summary>Entries as people read them: the actor's name, the support user behind an impersonation.</summary>
    internal static IQueryable<AuditView> Project(IMultiOrgDb db, IQueryable<AuditEntry> entries) =>
        entries.Select(a => new AuditView(
            a.Sequence,
            a.OccurredAt,
            a.ActorUserId,
            db.Users.Where(u => u.Id == a.ActorUserId).Select(u => u.DisplayName ?? u.Email).FirstOrDefault() ?? a.ActorUserId ?? "system",
            db.Users.Where(u => u.Id == a.RealActorUserId).Select(u => u.Email).FirstOrDefault(),
            a.Door,
            a.Action,
            a.TargetType,
            a.TargetId,
            a.Changes,
            a.ClientIp));
}

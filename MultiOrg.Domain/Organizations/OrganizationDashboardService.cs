using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Csv;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Organizations;

public sealed record CountRow(string Label, int Count);

public sealed record DayCount(DateTime Day, int Count);

/// <summary>
/// The organization's landing page figures. Sections the acting role may not see are null: invitations and join
/// requests for OWNER/ADMIN (who handle them), activity for those who may read the audit log.
/// </summary>
public sealed record OrganizationDashboard(
    int MemberCount,
    IReadOnlyList<CountRow> MembersByRole,
    IReadOnlyList<CountRow> TopTeams,
    int TeamCount,
    int MembersInNoTeam,
    int ActiveLast7Days,
    int ActiveLast30Days,
    int? PendingInvitations,
    int? PendingJoinRequests,
    IReadOnlyList<DayCount>? Activity);

public enum DashboardSection
{
    Summary,
    MembersByRole,
    MembersByTeam,
    Activity,
}

/// <summary>
/// Aggregates of the current organization, each one grouped query under the tenant filter (never a query per member or
/// per team): at 100,000 members and 5,000 teams the whole dashboard loads in tens of milliseconds (bench/results/dashboard.md).
/// </summary>
public sealed class OrganizationDashboardService(IMultiOrgDbFactory dbFactory, TenantContext tenant, TimeProvider time)
{
    public const int TopTeamCount = 10;
    public const int ActivityDays = 30;

    public async Task<OrganizationDashboard> GetAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ViewMembers, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var members = db.OrganizationMembers.AsNoTracking().Where(m => m.OrganizationId == me.OrganizationId);

        var byRole = await RolesAsync(db, me.OrganizationId, ct);
        var teams = await TeamCountsAsync(db, ct);

        // Team places are removed with the membership, so everyone in a team is a member: no per-member anti-join.
        var inTeams = await db.Set<Teams.TeamMember>().AsNoTracking().Select(t => t.UserId).Distinct().CountAsync(ct);
        var memberCount = byRole.Sum(r => r.Count);
        var since7 = now.AddDays(-7);
        var since30 = now.AddDays(-30);
        var active7 = await members.CountAsync(m => m.LastActiveAt >= since7, ct);
        var active30 = await members.CountAsync(m => m.LastActiveAt >= since30, ct);

        int? invitations = null, requests = null;
        if (me.Role.Allows(Permission.InviteMembers))
        {
            invitations = await db.Set<Invitations.Invitation>().CountAsync(i => i.Status == Invitations.InvitationStatus.Pending && i.ExpiresAt > now, ct);
            requests = await db.Set<Joining.JoinRequest>().CountAsync(r => r.Status == Joining.JoinRequestStatus.Pending, ct);
        }

        var activity = me.Role.Allows(Permission.ViewAuditLog) ? await ActivityAsync(db, now, ct) : null;
        return new OrganizationDashboard(
            memberCount, byRole, [.. teams.Take(TopTeamCount)], teams.Count, Math.Max(0, memberCount - inTeams), active7, active30, invitations, requests, activity);
    }

    /// <summary>One section as formula-safe CSV; the team section lists every team, not only the top ones.</summary>
    public async Task<string> ExportCsvAsync(DashboardSection section, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(section))
        {
            throw DomainException.Invalid("section", "Section must be Summary, MembersByRole, MembersByTeam or Activity.");
        }

        switch (section)
        {
            case DashboardSection.MembersByTeam:
            {
                await using var db = dbFactory.Create();
                await db.RequireAsync(tenant, Permission.ViewMembers, ct);
                return await SafeCsv.WriteAsync((await TeamCountsAsync(db, ct)).ToAsyncEnumerable(), new CountMap("team", "members"), ct);
            }

            case DashboardSection.Activity:
            {
                await using var db = dbFactory.Create();
                await db.RequireAsync(tenant, Permission.ViewAuditLog, ct);
                var days = await ActivityAsync(db, time.GetUtcNow().UtcDateTime, ct);
                return await SafeCsv.WriteAsync(days.ToAsyncEnumerable(), new DayMap(), ct);
            }

            case DashboardSection.MembersByRole:
            {
                await using var db = dbFactory.Create();
                var me = await db.RequireAsync(tenant, Permission.ViewMembers, ct);
                return await SafeCsv.WriteAsync((await RolesAsync(db, me.OrganizationId, ct)).ToAsyncEnumerable(), new CountMap("role", "members"), ct);
            }

            default:
            {
                var d = await GetAsync(ct);
                List<CountRow> rows =
                [
                    new("members", d.MemberCount),
                    new("teams", d.TeamCount),
                    new("members in no team", d.MembersInNoTeam),
                    new("active in the last 7 days", d.ActiveLast7Days),
                    new("active in the last 30 days", d.ActiveLast30Days),
                ];
                if (d.PendingInvitations is { } invitations)
                {
                    rows.Add(new("pending invitations", invitations));
                }

                if (d.PendingJoinRequests is { } requests)
                {
                    rows.Add(new("pending join requests", requests));
                }

                return await SafeCsv.WriteAsync(rows.ToAsyncEnumerable(), new CountMap("figure", "value"), ct);
            }
        }
    }

    private static async Task<List<CountRow>> RolesAsync(IMultiOrgDb db, Guid organizationId, CancellationToken ct)
    {
        var counts = await db.OrganizationMembers.AsNoTracking().Where(m => m.OrganizationId == organizationId)
            .GroupBy(m => m.Role).Select(g => new { Role = g.Key, Count = g.Count() }).ToListAsync(ct);
        return [.. new[] { OrganizationRole.Owner, OrganizationRole.Admin, OrganizationRole.Member }
            .Select(role => new CountRow(role.ToApiName(), counts.FirstOrDefault(c => c.Role == role)?.Count ?? 0))];
    }

    /// <summary>
    /// Members per team, largest first (teams without members last): one grouped count over the team places and one read
    /// of the team names, joined in memory (a correlated count per team was 5,000 index probes).
    /// </summary>
    private static async Task<List<CountRow>> TeamCountsAsync(IMultiOrgDb db, CancellationToken ct)
    {
        var counts = await db.Set<Teams.TeamMember>().AsNoTracking().GroupBy(m => m.TeamId)
            .Select(g => new { TeamId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.TeamId, g => g.Count, ct);
        var teams = await db.Set<Teams.Team>().AsNoTracking().Select(t => new { t.Id, t.Name }).ToListAsync(ct);
        return [.. teams.Select(t => new CountRow(t.Name, counts.GetValueOrDefault(t.Id)))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Label, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>Audit entries per day over the last 30 days, every day present (a quiet day is a zero, not a gap).</summary>
    private static async Task<List<DayCount>> ActivityAsync(IMultiOrgDb db, DateTime now, CancellationToken ct)
    {
        var from = now.Date.AddDays(1 - ActivityDays);
        var counts = await db.AuditEntries.AsNoTracking().Where(a => a.OccurredAt >= from)
            .GroupBy(a => a.OccurredAt.Date).Select(g => new { Day = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Day, g => g.Count, ct);
        return [.. Enumerable.Range(0, ActivityDays).Select(i => from.AddDays(i)).Select(day => new DayCount(day, counts.GetValueOrDefault(day)))];
    }

    private sealed class CountMap : ClassMap<CountRow>
    {
        public CountMap(string label, string count)
        {
            Map(r => r.Label).Name(label);
            Map(r => r.Count).Name(count);
        }
    }

    private sealed class DayMap : ClassMap<DayCount>
    {
        public DayMap()
        {
            Map(r => r.Day).Name("day").Convert(args => args.Value.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            Map(r => r.Count).Name("audit entries");
        }
    }
}

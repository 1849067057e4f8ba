using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Teams;

/// <summary>
/// Departments (a tree), teams (in a department or at the top) and who is in each team. OWNERs and ADMINs manage all
/// of it; a Department Admin manages the teams under their department and names their leaders; a Team Leader manages
/// their team's members. Every id comes back through the tenant filter, so another organization's team is "not found".
/// </summary>
public sealed class TeamService(IMultiOrgDbFactory dbFactory, TenantContext tenant)
{
    public async Task<TeamStructure> GetStructureAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ViewOrganization, ct);
        var departments = await db.Set<Department>().AsNoTracking().Select(d => new { d.Id, d.Name, d.ParentDepartmentId }).ToListAsync(ct);
        var teams = await db.Set<Team>().AsNoTracking().Select(t => new { t.Id, t.Name, t.DepartmentId }).ToListAsync(ct);
        var counts = await db.Set<TeamMember>().GroupBy(m => m.TeamId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var leaders = (await db.Set<TeamMember>().Where(m => m.IsLeader)
                .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.TeamId, u.Id, Name = u.DisplayName ?? u.Email ?? u.Id })
                .ToListAsync(ct))
            .ToLookup(l => l.TeamId, l => new PersonRef(l.Id, l.Name));
        var admins = (await db.Set<DepartmentAdmin>()
                .Join(db.Users, a => a.UserId, u => u.Id, (a, u) => new { a.DepartmentId, u.Id, Name = u.DisplayName ?? u.Email ?? u.Id })
                .ToListAsync(ct))
            .ToLookup(a => a.DepartmentId, a => new PersonRef(a.Id, a.Name));

        var orgWide = me.May(Permission.ManageTeams);
        var scopes = me.IsDirectMember && tenant.ApiKey is null && tenant.Impersonation is null
            ? await MyScopesAsync(db, me.UserId, departments.ToDictionary(d => d.Id, d => d.ParentDepartmentId), ct)
            : (Departments: new HashSet<Guid>(), LeaderOf: new HashSet<Guid>());
        bool AdminOver(Guid? departmentId) => departmentId is { } id && scopes.Departments.Contains(id);

        var names = departments.ToDictionary(d => d.Id, d => d.Name);
        var teamCounts = teams.Where(t => t.DepartmentId is not null).GroupBy(t => t.DepartmentId!.Value).ToDictionary(g => g.Key, g => g.Count());
        return new TeamStructure(
            [.. departments.Select(d => new DepartmentView(d.Id, d.Name, d.ParentDepartmentId, [.. admins[d.Id]], teamCounts.GetValueOrDefault(d.Id),
                orgWide || ScopedRole.DepartmentAdmin.Allows(Permission.ManageTeams) && AdminOver(d.Id)))],
            [.. teams.OrderBy(t => t.Name, StringComparer.CurrentCultureIgnoreCase).Select(t => new TeamView(
                t.Id, t.Name, t.DepartmentId, t.DepartmentId is { } d ? names.GetValueOrDefault(d) : null, counts.GetValueOrDefault(t.Id), [.. leaders[t.Id]],
                CanEdit: orgWide || ScopedRole.DepartmentAdmin.Allows(Permission.ManageTeams) && AdminOver(t.DepartmentId),
                CanManageMembers: me.May(Permission.ManageTeamMembers)
                    || ScopedRole.DepartmentAdmin.Allows(Permission.ManageTeamMembers) && AdminOver(t.DepartmentId)
                    || ScopedRole.TeamLeader.Allows(Permission.ManageTeamMembers) && scopes.LeaderOf.Contains(t.Id),
                CanNameLeaders: me.May(Permission.NameTeamLeaders)
                    || ScopedRole.DepartmentAdmin.Allows(Permission.NameTeamLeaders) && AdminOver(t.DepartmentId)))],
            me.May(Permission.ManageDepartments),
            orgWide);
    }

    /// <summary>The departments a person administers, with every department below them, and the teams they lead.</summary>
    private static async Task<(HashSet<Guid> Departments, HashSet<Guid> LeaderOf)> MyScopesAsync(
        IMultiOrgDb db, string userId, Dictionary<Guid, Guid?> parents, CancellationToken ct)
    {
        var adminOf = await db.Set<DepartmentAdmin>().Where(a => a.UserId == userId).Select(a => a.DepartmentId).ToListAsync(ct);
        var leaderOf = await db.Set<TeamMember>().Where(m => m.UserId == userId && m.IsLeader).Select(m => m.TeamId).ToListAsync(ct);
        var covered = new HashSet<Guid>();
        foreach (var id in parents.Keys)
        {
            Guid? current = id;
            for (var depth = 0; current is { } at && depth <= parents.Count; depth++, current = parents.GetValueOrDefault(at))
            {
                if (adminOf.Contains(at))
                {
                    covered.Add(id);
                    break;
                }
            }
        }

        return (covered, [.. leaderOf]);
    }

    public async Task<DepartmentView> CreateDepartmentAsync(string? name, Guid? parentId, CancellationToken ct = default)
    {
        var clean = CleanName(name, "name", "Department name", Department.NameMaxLength);
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.ManageDepartments, ct);
        if (parentId is { } parent && !await db.Set<Department>().AnyAsync(d => d.Id == parent, ct))
        {
            throw new DomainException(DomainErrorKind.NotFound, "Parent department not found.", "parentId");
        }

        var department = new Department { Name = clean, ParentDepartmentId = parentId };
        db.Set<Department>().Add(department);
        await db.SaveChangesAsync(ct);
        return new DepartmentView(department.Id, department.Name, parentId, [], 0, true);
    }

    public async Task RenameDepartmentAsync(Guid departmentId, string? name, CancellationToken ct = default)
    {
        var clean = CleanName(name, "name", "Department name", Department.NameMaxLength);
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.ManageDepartments, ct);
        var department = await FindDepartmentAsync(db, departmentId, ct);
        department.Name = clean;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Its teams and sub-departments move up to its parent (or the top), so deleting a department never deletes a team.</summary>
    public async Task DeleteDepartmentAsync(Guid departmentId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.WriteAsync(
            async ct =>
            {
                await db.RequireAsync(tenant, Permission.ManageDepartments, ct);
                var department = await FindDepartmentAsync(db, departmentId, ct);
                foreach (var child in await db.Set<Department>().Where(d => d.ParentDepartmentId == departmentId).ToListAsync(ct))
                {
                    child.ParentDepartmentId = department.ParentDepartmentId;
                }

                foreach (var team in await db.Set<Team>().Where(t => t.DepartmentId == departmentId).ToListAsync(ct))
                {
                    team.DepartmentId = department.ParentDepartmentId;
                }

                db.Set<DepartmentAdmin>().RemoveRange(await db.Set<DepartmentAdmin>().Where(a => a.DepartmentId == departmentId).ToListAsync(ct));
                await db.SaveChangesAsync(ct);
                db.Set<Department>().Remove(department);
                await db.SaveChangesAsync(ct);
            },
            ct);
    }

    /// <summary>Names a member Department Admin of a department, or takes it away (OWNER and ADMIN only).</summary>
    public async Task SetDepartmentAdminAsync(Guid departmentId, string userId, bool isAdmin, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ManageDepartments, ct);
        await FindDepartmentAsync(db, departmentId, ct);
        await EnsureMemberAsync(db, me.OrganizationId, userId, ct);
        var existing = await db.Set<DepartmentAdmin>().SingleOrDefaultAsync(a => a.DepartmentId == departmentId && a.UserId == userId, ct);
        if (isAdmin && existing is null)
        {
            db.Set<DepartmentAdmin>().Add(new DepartmentAdmin { DepartmentId = departmentId, UserId = userId });
        }
        else if (!isAdmin && existing is not null)
        {
            db.Set<DepartmentAdmin>().Remove(existing);
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>A team at the top (OWNER, ADMIN) or inside a department (also that department's admins).</summary>
    public async Task<TeamView> CreateTeamAsync(string? name, Guid? departmentId, CancellationToken ct = default)
    {
        var clean = CleanName(name, "name", "Team name", Team.NameMaxLength);
        await using var db = dbFactory.Create();
        string? departmentName = null;
        if (departmentId is { } id)
        {
            departmentName = (await FindDepartmentAsync(db, id, ct, "departmentId")).Name;
        }

        await db.RequireScopedAsync(tenant, Permission.ManageTeams, departmentId, null, ct);
        var team = new Team { Name = clean, DepartmentId = departmentId };
        db.Set<Team>().Add(team);
        await db.SaveChangesAsync(ct);
        return new TeamView(team.Id, team.Name, departmentId, departmentName, 0, [], true, true, true);
    }

    public async Task RenameTeamAsync(Guid teamId, string? name, CancellationToken ct = default)
    {
        var clean = CleanName(name, "name", "Team name", Team.NameMaxLength);
        await using var db = dbFactory.Create();
        var team = await FindTeamAsync(db, teamId, ct);
        await db.RequireScopedAsync(tenant, Permission.ManageTeams, team.DepartmentId, null, ct);
        team.Name = clean;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Moves a team to another department (or the top): the mover must manage teams at both ends.</summary>
    public async Task MoveTeamAsync(Guid teamId, Guid? departmentId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var team = await FindTeamAsync(db, teamId, ct);
        if (departmentId is { } id)
        {
            await FindDepartmentAsync(db, id, ct, "departmentId");
        }

        await db.RequireScopedAsync(tenant, Permission.ManageTeams, team.DepartmentId, null, ct);
        await db.RequireScopedAsync(tenant, Permission.ManageTeams, departmentId, null, ct);
        team.DepartmentId = departmentId;
        await db.SaveChangesAsync(ct);
    }

    public async Task DeleteTeamAsync(Guid teamId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.WriteAsync(
            async ct =>
            {
                var team = await FindTeamAsync(db, teamId, ct);
                await db.RequireScopedAsync(tenant, Permission.ManageTeams, team.DepartmentId, null, ct);
                db.Set<TeamMember>().RemoveRange(await db.Set<TeamMember>().Where(m => m.TeamId == teamId).ToListAsync(ct));
                db.Set<Scim.ScimGroup>().RemoveRange(await db.Set<Scim.ScimGroup>().Where(g => g.TeamId == teamId).ToListAsync(ct));
                await db.SaveChangesAsync(ct);
                db.Set<Team>().Remove(team);
                await db.SaveChangesAsync(ct);
            },
            ct);
    }

    public async Task<IReadOnlyList<TeamMemberView>> ListMembersAsync(Guid teamId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.ViewMembers, ct);
        await FindTeamAsync(db, teamId, ct);
        return await db.Set<TeamMember>().AsNoTracking().Where(m => m.TeamId == teamId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Id, Name = u.DisplayName ?? u.Email ?? u.Id, Email = u.Email ?? "", m.IsLeader })
            .OrderByDescending(m => m.IsLeader).ThenBy(m => m.Name)
            .Select(m => new TeamMemberView(m.Id, m.Name, m.Email, m.IsLeader))
            .ToListAsync(ct);
    }

    /// <summary>Puts an organization member in a team (a member may be in any number of teams).</summary>
    public async Task AddMemberAsync(Guid teamId, string userId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var team = await FindTeamAsync(db, teamId, ct);
        var me = await db.RequireScopedAsync(tenant, Permission.ManageTeamMembers, team.DepartmentId, teamId, ct);
        await EnsureMemberAsync(db, me.OrganizationId, userId, ct);
        if (await db.Set<TeamMember>().AnyAsync(m => m.TeamId == teamId && m.UserId == userId, ct))
        {
            throw new DomainException(DomainErrorKind.Conflict, $"That person is already in {team.Name}.", "userId");
        }

        db.Set<TeamMember>().Add(new TeamMember { TeamId = teamId, UserId = userId });
        await db.SaveChangesAsync(ct);
    }

    public async Task RemoveMemberAsync(Guid teamId, string userId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var team = await FindTeamAsync(db, teamId, ct);
        await db.RequireScopedAsync(tenant, Permission.ManageTeamMembers, team.DepartmentId, teamId, ct);
        var membership = await db.Set<TeamMember>().SingleOrDefaultAsync(m => m.TeamId == teamId && m.UserId == userId, ct)
            ?? throw new DomainException(DomainErrorKind.NotFound, $"That person is not in {team.Name}.", "userId");

        // Taking a leader out takes their leadership with them: the scoped role lives on the team membership.
        db.Set<TeamMember>().Remove(membership);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Makes a member the team's leader (putting them in the team first) or takes the leadership away.</summary>
    public async Task SetLeaderAsync(Guid teamId, string userId, bool isLeader, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var team = await FindTeamAsync(db, teamId, ct);
        var me = await db.RequireScopedAsync(tenant, Permission.NameTeamLeaders, team.DepartmentId, null, ct);
        await EnsureMemberAsync(db, me.OrganizationId, userId, ct);
        var membership = await db.Set<TeamMember>().SingleOrDefaultAsync(m => m.TeamId == teamId && m.UserId == userId, ct);
        if (membership is null)
        {
            if (!isLeader)
            {
                return;
            }

            membership = new TeamMember { TeamId = teamId, UserId = userId };
            db.Set<TeamMember>().Add(membership);
        }

        membership.IsLeader = isLeader;
        await db.SaveChangesAsync(ct);
    }

    private static string CleanName(string? name, string field, string label, int maxLength) => Text.UserText.Name(name, field, label, maxLength);

    private static async Task<Department> FindDepartmentAsync(IMultiOrgDb db, Guid departmentId, CancellationToken ct, string field = "departmentId") =>
        await db.Set<Department>().SingleOrDefaultAsync(d => d.Id == departmentId, ct)
        ?? throw new DomainException(DomainErrorKind.NotFound, "Department not found.", field);

    private static async Task<Team> FindTeamAsync(IMultiOrgDb db, Guid teamId, CancellationToken ct) =>
        await db.Set<Team>().SingleOrDefaultAsync(t => t.Id == teamId, ct)
        ?? throw new DomainException(DomainErrorKind.NotFound, "Team not found.", "teamId");

    private static async Task EnsureMemberAsync(IMultiOrgDb db, Guid organizationId, string userId, CancellationToken ct)
    {
        if (!await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == organizationId && m.UserId == userId, ct))
        {
            throw new DomainException(DomainErrorKind.NotFound, DomainMessages.MemberNotFound, "userId");
        }
    }
}

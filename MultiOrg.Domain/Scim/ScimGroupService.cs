using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Teams;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Scim;

/// <summary>
/// SCIM Groups of the current organization: its teams. A group's members are the provisioned people (SCIM Users) in
/// the team; people put in a team by hand are neither listed nor touched by the provider. Each change, however many
/// PATCH operations it came from, is one transaction.
/// </summary>
public sealed class ScimGroupService(IMultiOrgDbFactory dbFactory, TenantContext tenant)
{
    public async Task<ScimPage<ScimGroupView>> ListAsync(ScimFilter? filter, int startIndex, int count, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.ViewMembers, ct);
        var teams = db.Set<Team>().AsNoTracking();
        teams = filter switch
        {
            null => teams,
            { Attribute: ScimFields.DisplayName } => teams.Where(t => t.Name == filter.Value),
            { Attribute: ScimFields.ExternalId } => teams.Where(t => db.Set<ScimGroup>().Any(g => g.TeamId == t.Id && g.ExternalId == filter.Value)),
            _ => throw DomainException.Invalid("filter", $"Groups cannot be filtered by {filter.Attribute}."),
        };
        var total = await teams.CountAsync(ct);
        var page = await teams.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).Skip(startIndex - 1).Take(count).ToListAsync(ct);
        return new ScimPage<ScimGroupView>(await ViewsAsync(db, page, ct), total, startIndex);
    }

    public async Task<ScimGroupView> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.RequireAsync(tenant, Permission.ViewMembers, ct);
        return await ReadAsync(db, id, ct);
    }

    public async Task<ScimGroupView> CreateAsync(ScimGroupInput input, CancellationToken ct = default)
    {
        var name = Text.UserText.Name(input.DisplayName, ScimFields.DisplayName, "displayName", Team.NameMaxLength);
        await using var db = dbFactory.Create();
        var team = await db.WriteAsync(
            async ct =>
            {
                await db.RequireAsync(tenant, Permission.ManageTeams, ct);
                await db.RequireAsync(tenant, Permission.ManageTeamMembers, ct);
                await EnsureUniqueAsync(db, null, name, input.ExternalId, ct);
                var team = new Team { Name = name };
                db.Set<Team>().Add(team);
                db.Set<ScimGroup>().Add(new ScimGroup { TeamId = team.Id, ExternalId = Blank(input.ExternalId) });
                await SetMembersAsync(db, team.Id, input.Members, ct);
                await db.SaveChangesAsync(ct);

                return team;
            },
            ct);
        return await ReadAsync(db, team.Id, ct);
    }

    /// <summary>PUT, and the outcome of a PATCH: the name, the externalId and exactly these provisioned members.</summary>
    public async Task<ScimGroupView> ReplaceAsync(Guid id, ScimGroupInput input, CancellationToken ct = default)
    {
        var name = Text.UserText.Name(input.DisplayName, ScimFields.DisplayName, "displayName", Team.NameMaxLength);
        await using var db = dbFactory.Create();
        await db.WriteAsync(
            async ct =>
            {
                await db.RequireAsync(tenant, Permission.ManageTeams, ct);
                await db.RequireAsync(tenant, Permission.ManageTeamMembers, ct);
                var team = await db.Set<Team>().SingleOrDefaultAsync(t => t.Id == id, ct) ?? throw NotFound();
                await EnsureUniqueAsync(db, id, name, input.ExternalId, ct);
                team.Name = name;
                var link = await db.Set<ScimGroup>().SingleOrDefaultAsync(g => g.TeamId == id, ct);
                if (link is null)
                {
                    db.Set<ScimGroup>().Add(new ScimGroup { TeamId = id, ExternalId = Blank(input.ExternalId) });
                }
                else
                {
                    link.ExternalId = Blank(input.ExternalId);
                }

                await SetMembersAsync(db, id, input.Members, ct);
                await db.SaveChangesAsync(ct);
            },
            ct);
        return await ReadAsync(db, id, ct);
    }

    public async Task DeleteAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        await db.WriteAsync(
            async ct =>
            {
                await db.RequireAsync(tenant, Permission.ManageTeams, ct);
                var team = await db.Set<Team>().SingleOrDefaultAsync(t => t.Id == id, ct) ?? throw NotFound();
                var provisioned = db.Set<ScimUser>().Select(u => u.UserId);
                if (!await db.Set<ScimGroup>().AnyAsync(g => g.TeamId == id, ct)
                    || await db.Set<TeamMember>().AnyAsync(m => m.TeamId == id && (m.IsLeader || !provisioned.Contains(m.UserId)), ct))
                {
                    // What was made or placed by hand is neither listed nor touched: deleting the team would take it along.
                    throw new DomainException(DomainErrorKind.Conflict,
                        $"The team {team.Name} was made or filled by hand (people or a leader the directory did not place): delete it on the Teams page.");
                }

                db.Set<TeamMember>().RemoveRange(await db.Set<TeamMember>().Where(m => m.TeamId == id).ToListAsync(ct));
                db.Set<ScimGroup>().RemoveRange(await db.Set<ScimGroup>().Where(g => g.TeamId == id).ToListAsync(ct));
                await db.SaveChangesAsync(ct);
                db.Set<Team>().Remove(team);
                await db.SaveChangesAsync(ct);
            },
            ct);
    }

    /// <summary>The provisioned people in the team become exactly <paramref name="wanted"/>; anyone added by hand stays.</summary>
    private static async Task SetMembersAsync(IMultiOrgDb db, Guid teamId, IReadOnlyCollection<Guid> wanted, CancellationToken ct)
    {
        var wantedIds = wanted.Distinct().ToList();
        var found = await db.Set<ScimUser>().Where(u => wantedIds.Contains(u.Id)).Select(u => new { u.Id, u.UserId, u.Active }).ToListAsync(ct);
        if (found.FirstOrDefault(u => !u.Active) is { } inactive)
        {
            throw DomainException.Invalid(ScimFields.Members, $"User {inactive.Id} is deactivated: activate them before adding them to a group.");
        }

        if (wantedIds.Except(found.Select(u => u.Id)).FirstOrDefault() is var missing && missing != Guid.Empty)
        {
            throw DomainException.Invalid(ScimFields.Members, $"There is no user {missing} in this organization.");
        }

        var provisioned = db.Set<ScimUser>().Select(u => u.UserId);
        var current = await db.Set<TeamMember>().Where(m => m.TeamId == teamId && provisioned.Contains(m.UserId)).ToListAsync(ct);
        var wantedUsers = found.Select(u => u.UserId).ToHashSet();
        db.Set<TeamMember>().RemoveRange(current.Where(m => !wantedUsers.Contains(m.UserId)));
        var present = current.Select(m => m.UserId).ToHashSet();
        foreach (var userId in wantedUsers.Where(u => !present.Contains(u)))
        {
            db.Set<TeamMember>().Add(new TeamMember { TeamId = teamId, UserId = userId });
        }
    }

    private static async Task EnsureUniqueAsync(IMultiOrgDb db, Guid? self, string name, string? externalId, CancellationToken ct)
    {
        if (await db.Set<Team>().AnyAsync(t => t.Id != self && t.Name == name, ct))
        {
            throw new DomainException(DomainErrorKind.Conflict, $"A group (team) named {name} exists already.", ScimFields.DisplayName);
        }

        if (Blank(externalId) is { } external && await db.Set<ScimGroup>().AnyAsync(g => g.TeamId != self && g.ExternalId == external, ct))
        {
            throw new DomainException(DomainErrorKind.Conflict, $"A group with externalId {external} exists already.", ScimFields.ExternalId);
        }
    }

    private static async Task<ScimGroupView> ReadAsync(IMultiOrgDb db, Guid id, CancellationToken ct)
    {
        var team = await db.Set<Team>().AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct) ?? throw NotFound();
        return (await ViewsAsync(db, [team], ct))[0];
    }

    private static async Task<IReadOnlyList<ScimGroupView>> ViewsAsync(IMultiOrgDb db, IReadOnlyList<Team> teams, CancellationToken ct)
    {
        var ids = teams.Select(t => t.Id).ToList();
        var external = await db.Set<ScimGroup>().AsNoTracking().Where(g => ids.Contains(g.TeamId)).ToDictionaryAsync(g => g.TeamId, g => g.ExternalId, ct);
        var members = (await db.Set<TeamMember>().AsNoTracking().Where(m => ids.Contains(m.TeamId))
                .Join(db.Set<ScimUser>(), m => m.UserId, u => u.UserId, (m, u) => new { m.TeamId, u.Id, u.UserName })
                .ToListAsync(ct))
            .ToLookup(m => m.TeamId);
        return [.. teams.Select(t => new ScimGroupView(
            t.Id, t.Name, external.GetValueOrDefault(t.Id), [.. members[t.Id].OrderBy(m => m.UserName).Select(m => new ScimMemberRef(m.Id, m.UserName))], t.CreatedAt, t.UpdatedAt))];
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static DomainException NotFound() => new(DomainErrorKind.NotFound, "Group not found.");
}

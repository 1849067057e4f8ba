using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Csv;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;

namespace MultiOrg.Domain.Members;

/// <summary>
/// Bulk actions and export. A bulk action runs in one write transaction under the same rules as one by one: a rule
/// about one person (not a member here, an ADMIN removing an OWNER, removing yourself) refuses that person and is
/// reported, the others are applied together; the owner invariant is a rule about the organization, so a batch that
/// would leave no OWNER is refused as a whole and writes nothing.
/// </summary>
public sealed partial class MemberService
{
    /// <summary>Bounds one transaction (and its lock) to a few hundred rows; the grid's largest page is 100.</summary>
    public const int MaxBulk = 500;

    /// <summary>Owners only. The acting owner may include themself, as one by one; then the circuit's role follows.</summary>
    public async Task<BulkMemberResult> ChangeRolesAsync(IReadOnlyCollection<string>? userIds, OrganizationRole role, CancellationToken ct = default)
    {
        var ids = RequireIds(userIds);
        if (!Enum.IsDefined(role))
        {
            throw DomainException.Invalid("role", "Role must be OWNER, ADMIN or MEMBER.");
        }

        await using var db = dbFactory.Create();
        var (me, outcomes, changing) = await db.WriteAsync(
            async ct =>
            {
                var me = await db.RequireAsync(tenant, Permission.ChangeMemberRoles, ct);
                var found = await LoadMembersAsync(db, me.OrganizationId, ids, ct);

                var outcomes = new List<BulkMemberOutcome>(ids.Count);
                var changing = new List<OrganizationMember>();
                foreach (var id in ids)
                {
                    if (!found.TryGetValue(id, out var member))
                    {
                        outcomes.Add(NotFound(id));
                    }
                    else if (member.Role == role)
                    {
                        outcomes.Add(Outcome(member, BulkMemberStatus.Unchanged, $"Already {role.ToApiName()}."));
                    }
                    else
                    {
                        outcomes.Add(Outcome(member, BulkMemberStatus.Changed, $"{member.Role.ToApiName()} → {role.ToApiName()}"));
                        changing.Add(member);
                    }
                }

                if (role != OrganizationRole.Owner)
                {
                    await EnsureOwnersRemainAsync(db, me.OrganizationId, changing.Count(m => m.Role == OrganizationRole.Owner), ct);
                }

                foreach (var member in changing)
                {
                    member.Role = role;
                }

                await db.SaveChangesAsync(ct);

                return (me, outcomes, changing);
            },
            ct);
        foreach (var member in changing)
        {
            await events.PublishAsync(new(Events.OrganizationEventKind.RoleChanged, me.OrganizationId, member.UserId), ct);
        }

        if (changing.Any(m => m.UserId == me.UserId) && tenant.OrganizationName is { } name)
        {
            tenant.Enter(me.OrganizationId, name, role);
        }

        return new BulkMemberResult(outcomes);
    }

    /// <summary>Owners and admins; only an owner removes an owner; nobody removes themself here (that is Leave).</summary>
    public async Task<BulkMemberResult> RemoveManyAsync(IReadOnlyCollection<string>? userIds, CancellationToken ct = default)
    {
        var ids = RequireIds(userIds);
        await using var db = dbFactory.Create();
        var (me, outcomes, removing) = await db.WriteAsync(
            async ct =>
            {
                var me = await db.RequireAsync(tenant, Permission.RemoveMembers, ct);
                var found = await LoadMembersAsync(db, me.OrganizationId, ids, ct);

                var outcomes = new List<BulkMemberOutcome>(ids.Count);
                var removing = new List<OrganizationMember>();
                foreach (var id in ids)
                {
                    if (!found.TryGetValue(id, out var member))
                    {
                        outcomes.Add(NotFound(id));
                    }
                    else if (member.UserId == me.UserId)
                    {
                        outcomes.Add(Outcome(member, BulkMemberStatus.Refused, DomainMessages.BulkRemoveSelf));
                    }
                    else if (!me.Role.MayActOn(member.Role))
                    {
                        outcomes.Add(Outcome(member, BulkMemberStatus.Refused, Access.Refusal(TargetAction.RemoveMember)));
                    }
                    else
                    {
                        outcomes.Add(Outcome(member, BulkMemberStatus.Removed, "Removed."));
                        removing.Add(member);
                    }
                }

                // A signed-in owner never trips this (they stay, and only owners remove owners); the invariant is the
                // organization's, though, so it holds whatever door the request came through.
                await EnsureOwnersRemainAsync(db, me.OrganizationId, removing.Count(m => m.Role == OrganizationRole.Owner), ct);
                await RemoveMembershipsAsync(db, me.OrganizationId, removing, ct);

                return (me, outcomes, removing);
            },
            ct);
        foreach (var member in removing)
        {
            await events.PublishAsync(new(Events.OrganizationEventKind.MemberRemoved, me.OrganizationId, member.UserId), ct);
        }

        return new BulkMemberResult(outcomes);
    }

    /// <summary>Every member matching the list's search, in its sort order (all pages, not one), as formula-safe CSV.</summary>
    public async Task<string> ExportCsvAsync(MemberQuery query, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ViewMembers, ct);
        var rows = ToViews(Order(Filter(db, me.OrganizationId, query, await DepartmentSubtreeAsync(db, query.DepartmentId, ct)), query)).AsAsyncEnumerable();
        return await SafeCsv.WriteAsync(rows, new MemberCsvMap(), ct);
    }

    private static List<string> RequireIds(IReadOnlyCollection<string>? userIds)
    {
        if (userIds is null || userIds.Count == 0)
        {
            throw DomainException.Invalid("userIds", "userIds must list at least one member.");
        }

        if (userIds.Any(string.IsNullOrWhiteSpace))
        {
            throw DomainException.Invalid("userIds", "userIds must not contain empty ids.");
        }

        var ids = userIds.Distinct(StringComparer.Ordinal).ToList();
        return ids.Count <= MaxBulk
            ? ids
            : throw DomainException.Invalid("userIds", $"userIds may list at most {MaxBulk} members at once; it lists {ids.Count}.");
    }

    /// <summary>Only this organization's memberships: an id from anywhere else simply is not found.</summary>
    private static async Task<Dictionary<string, OrganizationMember>> LoadMembersAsync(
        IMultiOrgDb db, Guid organizationId, List<string> ids, CancellationToken ct) =>
        await db.OrganizationMembers.Include(m => m.User)
            .Where(m => m.OrganizationId == organizationId && ids.Contains(m.UserId))
            .ToDictionaryAsync(m => m.UserId, StringComparer.Ordinal, ct);

    private static async Task EnsureOwnersRemainAsync(IMultiOrgDb db, Guid organizationId, int ownersLeaving, CancellationToken ct)
    {
        if (ownersLeaving == 0)
        {
            return;
        }

        var owners = await db.OrganizationMembers.CountAsync(m => m.OrganizationId == organizationId && m.Role == OrganizationRole.Owner, ct);
        if (owners - ownersLeaving < 1)
        {
            throw new DomainException(DomainErrorKind.Conflict, DomainMessages.BulkLeavesNoOwner);
        }
    }

    private static BulkMemberOutcome NotFound(string userId) =>
        new(userId, null, null, BulkMemberStatus.NotFound, DomainMessages.MemberNotFound);

    private static BulkMemberOutcome Outcome(OrganizationMember member, BulkMemberStatus status, string message) =>
        new(member.UserId, member.User!.Email, member.User.Name, status, message);

    private sealed class MemberCsvMap : ClassMap<MemberView>
    {
        public MemberCsvMap()
        {
            Map(m => m.Email).Name("Email");
            Map(m => m.Name).Name("Name");
            Map(m => m.Role).Name("Role").Convert(args => args.Value.Role.ToApiName());
            Map(m => m.JoinedAt).Name("Joined (UTC)").TypeConverterOption.Format("yyyy-MM-dd HH:mm:ss");
        }
    }
}

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Members;

/// <summary>The members of the current organization: list, add, change role, remove, leave; bulk actions and export beside.</summary>
public sealed partial class MemberService(
    IMultiOrgDbFactory dbFactory, TenantContext tenant, ILookupNormalizer normalizer, Billing.PlanCatalog plans, Events.IOrganizationEvents events,
    IMemberNotices notices, TimeProvider time)
{
    public async Task<PagedResult<MemberView>> ListAsync(MemberQuery query, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.ViewMembers, ct);
        Paging.Require(query.Page, query.PageSize, MemberQuery.MaxPageSize);
        if (!Enum.IsDefined(query.Sort))
        {
            throw DomainException.Invalid("sort", "Sort (sort) must be one of: " + string.Join(", ", Enum.GetNames<MemberSort>()) + ".");
        }

        if (query.Role is { } role && !Enum.IsDefined(role))
        {
            throw DomainException.Invalid("role", "Role must be OWNER, ADMIN or MEMBER.");
        }

        var (page, pageSize) = (query.Page, query.PageSize);
        var members = Filter(db, me.OrganizationId, query, await DepartmentSubtreeAsync(db, query.DepartmentId, ct));
        var total = await members.CountAsync(ct);

        // Page on the membership table alone (its sort keys are indexed), then join the users of that one page.
        var pageIds = Order(members, query).Skip((page - 1) * pageSize).Take(pageSize).Select(m => m.Id);
        var items = await ToViews(Order(db.OrganizationMembers.AsNoTracking().Where(m => pageIds.Contains(m.Id)), query))
            .ToListAsync(ct);

        // The teams of this one page's people, in one query.
        var userIds = items.Select(i => i.UserId).ToList();
        var places = (await db.Set<Teams.TeamMember>().AsNoTracking().Where(t => userIds.Contains(t.UserId))
                .Select(t => new { t.UserId, Team = t.Team!.Name, t.IsLeader, Department = t.Team.Department!.Name })
                .ToListAsync(ct))
            .ToLookup(p => p.UserId);
        items = [.. items.Select(i => i with
        {
            Teams = [.. places[i.UserId].Select(p => p.IsLeader ? $"{p.Team} (leader)" : p.Team).Order(StringComparer.CurrentCultureIgnoreCase)],
            Departments = [.. places[i.UserId].Select(p => p.Department).OfType<string>().Distinct().Order(StringComparer.CurrentCultureIgnoreCase)],
        })];
        return new PagedResult<MemberView>(items, total, page, pageSize);
    }

    /// <summary>The department and every department below it (null when the list is not filtered by department).</summary>
    private static async Task<IReadOnlyCollection<Guid>?> DepartmentSubtreeAsync(IMultiOrgDb db, Guid? departmentId, CancellationToken ct)
    {
        if (departmentId is not { } root)
        {
            return null;
        }

        var children = (await db.Set<Teams.Department>().AsNoTracking().Select(d => new { d.Id, d.ParentDepartmentId }).ToListAsync(ct))
            .ToLookup(d => d.ParentDepartmentId, d => d.Id);
        var subtree = new HashSet<Guid> { root };
        var pending = new Queue<Guid>([root]);
        while (pending.TryDequeue(out var next))
        {
            foreach (var child in children[next].Where(subtree.Add))
            {
                pending.Enqueue(child);
            }
        }

        return subtree;
    }

    private static IQueryable<OrganizationMember> Filter(IMultiOrgDb db, Guid organizationId, MemberQuery query, IReadOnlyCollection<Guid>? departments)
    {
        var members = db.OrganizationMembers.AsNoTracking().Where(m => m.OrganizationId == organizationId);
        if (query.Role is { } role)
        {
            members = members.Where(m => m.Role == role);
        }

        if (query.TeamId is { } teamId)
        {
            members = members.Where(m => db.Set<Teams.TeamMember>().Any(t => t.UserId == m.UserId && t.TeamId == teamId));
        }

        if (departments is not null)
        {
            members = members.Where(m => db.Set<Teams.TeamMember>().Any(t => t.UserId == m.UserId && departments.Contains(t.Team!.DepartmentId!.Value)));
        }

        var search = query.Search?.Trim();
        if (!string.IsNullOrEmpty(search))
        {
            var upper = search.ToUpperInvariant();
            members = members.Where(m => m.SortEmail.Contains(upper) || m.SortName.Contains(upper));
        }

        return members;
    }

    private static IQueryable<MemberView> ToViews(IQueryable<OrganizationMember> members) =>
        members.Select(m => new MemberView(m.UserId, m.User!.Email ?? "", m.User.DisplayName ?? m.User.Email ?? "", m.Role, m.CreatedAt));

    private static IQueryable<OrganizationMember> Order(IQueryable<OrganizationMember> members, MemberQuery query) =>
        (query.Sort, query.Descending) switch
        {
            (MemberSort.Name, false) => members.OrderBy(m => m.SortName).ThenBy(m => m.SortEmail),
            (MemberSort.Name, true) => members.OrderByDescending(m => m.SortName).ThenByDescending(m => m.SortEmail),
            (MemberSort.Role, false) => members.OrderBy(m => m.Role == OrganizationRole.Owner ? 0 : m.Role == OrganizationRole.Admin ? 1 : 2).ThenBy(m => m.SortEmail),
            (MemberSort.Role, true) => members.OrderByDescending(m => m.Role == OrganizationRole.Owner ? 0 : m.Role == OrganizationRole.Admin ? 1 : 2).ThenBy(m => m.SortEmail),
            (MemberSort.JoinedAt, false) => members.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id),
            (MemberSort.JoinedAt, true) => members.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id),
            (_, false) => members.OrderBy(m => m.SortEmail),
            (_, true) => members.OrderByDescending(m => m.SortEmail),
        };

    /// <summary>Adds an existing account by email. Only owners may give a new member a role above MEMBER.</summary>
    public async Task<MemberView> AddByEmailAsync(string? email, OrganizationRole role = OrganizationRole.Member, CancellationToken ct = default)
    {
        var trimmed = email?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw DomainException.Invalid("email", "Email is required.");
        }

        if (!EmailAddresses.IsValid(trimmed))
        {
            throw DomainException.Invalid("email", "Email is not a valid email address.");
        }

        if (!Enum.IsDefined(role))
        {
            throw DomainException.Invalid("role", "Role must be OWNER, ADMIN or MEMBER.");
        }

        await using var db = dbFactory.Create();
        var (me, user, member, queued) = await db.WriteAsync(
            async token =>
            {
                var adding = await db.RequireAsync(tenant, Permission.InviteMembers, token);
                if (!await db.MayGiveRoleAsync(adding, role, token))
                {
                    throw new DomainException(DomainErrorKind.Forbidden, DomainMessages.OnlyOwnersGiveHigherRoles, "role");
                }

                var normalizedEmail = normalizer.NormalizeEmail(trimmed);
                var person = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, token)
                    ?? throw new DomainException(DomainErrorKind.NotFound, DomainMessages.UserNotFound, "email");

                // Adding at once is for people who proved their address; anyone else gets an invitation to that address.
                if (!person.EmailConfirmed)
                {
                    throw new DomainException(DomainErrorKind.Conflict, DomainMessages.EmailNotConfirmed, "email");
                }

                if (await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == adding.OrganizationId && m.UserId == person.Id, token))
                {
                    throw new DomainException(DomainErrorKind.Conflict, DomainMessages.AlreadyMember, "email");
                }

                await Billing.BillingService.EnsureSeatAvailableAsync(db, plans, adding.OrganizationId, 1, token);
                var added = OrganizationMember.For(person, adding.OrganizationId, role);
                db.OrganizationMembers.Add(added);
                await Joining.OpenOffers.CloseAsync(db, person, adding.OrganizationId, time.GetUtcNow().UtcDateTime, token);

                // Nobody asked them: they learn who added them and where, and how to leave (the mail is in the same save,
                // queued again by a retry, which starts from nothing).
                var adder = await db.Users.AsNoTracking().Where(u => u.Id == adding.UserId).Select(u => u.DisplayName ?? u.Email).FirstOrDefaultAsync(token);
                var organizationName = await db.Organizations.AsNoTracking().Where(o => o.Id == adding.OrganizationId).Select(o => o.Name).SingleAsync(token);
                var mail = notices.EnqueueAdded(db,
                    new AddedToOrganizationLetter(person.Email ?? trimmed, person.DisplayName, adder ?? "Someone", adding.OrganizationId, organizationName, added.Role));
                try
                {
                    await db.SaveChangesAsync(token);
                }
                catch (DbUpdateException e) when (!e.IsTransient())
                {
                    // The unique (user, organization) index caught a concurrent add of the same person.
                    throw new DomainException(DomainErrorKind.Conflict, DomainMessages.AlreadyMember, "email");
                }

                return (adding, person, added, mail);
            },
            ct);

        var sent = await queued.SendNowAsync(ct);
        return new MemberView(user.Id, user.Email ?? "", user.Name, member.Role, member.CreatedAt, Notice: sent ? null : DomainMessages.SavedMailNotSent);
    }

    /// <summary>Owners only. The last owner cannot be demoted, even when two owners demote each other at once.</summary>
    public async Task<MemberView> ChangeRoleAsync(string targetUserId, OrganizationRole role, CancellationToken ct = default)
    {
        if (!Enum.IsDefined(role))
        {
            throw DomainException.Invalid("role", "Role must be OWNER, ADMIN or MEMBER.");
        }

        await using var db = dbFactory.Create();
        var (me, target) = await db.WriteAsync(
            async token =>
            {
                var acting = await db.RequireAsync(tenant, Permission.ChangeMemberRoles, token);
                var member = await FindMemberAsync(db, acting.OrganizationId, targetUserId, token);
                if (member.Role == OrganizationRole.Owner && role != OrganizationRole.Owner)
                {
                    await EnsureAnotherOwnerAsync(db, acting.OrganizationId, DomainMessages.LastOwnerKeepsRole, token);
                }

                member.Role = role;
                await db.SaveChangesAsync(token);
                return (acting, member);
            },
            ct);
        await events.PublishAsync(new(Events.OrganizationEventKind.RoleChanged, me.OrganizationId, target.UserId), ct);
        if (target.UserId == me.UserId && tenant.OrganizationName is { } name)
        {
            tenant.Enter(me.OrganizationId, name, role);
        }

        return new MemberView(target.UserId, target.User!.Email ?? "", target.User.Name, target.Role, target.CreatedAt);
    }

    /// <summary>The API keys a member created (still usable) and the open invitations they sent: what removing them must settle.</summary>
    public async Task<OwnedItemsView> GetOwnedItemsAsync(string targetUserId, CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var me = await db.RequireAsync(tenant, Permission.RemoveMembers, ct);
        await FindMemberAsync(db, me.OrganizationId, targetUserId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var keys = await db.Set<ApiKeys.ApiKey>().AsNoTracking()
            .Where(k => k.CreatedByUserId == targetUserId && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now))
            .OrderBy(k => k.Name).Select(k => new OwnedItem(k.Id, k.Name)).ToListAsync(ct);
        var invitations = await db.Set<Invitations.Invitation>().AsNoTracking()
            .Where(i => i.InvitedByUserId == targetUserId && i.Status == Invitations.InvitationStatus.Pending)
            .OrderBy(i => i.NormalizedEmail).Select(i => new OwnedItem(i.Id, i.Email)).ToListAsync(ct);
        return new OwnedItemsView(targetUserId, keys, invitations);
    }

    /// <summary>
    /// Owners and admins remove members; only an owner removes an owner; removing yourself is leaving. What the member
    /// owns (API keys they created, invitations they sent) is revoked or handed to another member in the same
    /// transaction; without a choice it is revoked, because a key keeps acting for its creator after they are gone.
    /// </summary>
    public async Task RemoveAsync(string targetUserId, CancellationToken ct = default) => await RemoveAsync(targetUserId, null, ct);

    /// <inheritdoc cref="RemoveAsync(string, CancellationToken)"/>
    public async Task RemoveAsync(string targetUserId, OwnedItemsChoice? choice, CancellationToken ct = default)
    {
        if (targetUserId == tenant.UserId)
        {
            await LeaveAsync(ct);
            return;
        }

        await using var db = dbFactory.Create();
        var (me, target) = await db.WriteAsync(
            async token =>
            {
                var removing = await db.RequireAsync(tenant, Permission.RemoveMembers, token);
                var member = await FindMemberAsync(db, removing.OrganizationId, targetUserId, token);
                removing.RequireMayActOn(member.Role, TargetAction.RemoveMember);
                if (member.Role == OrganizationRole.Owner)
                {
                    await EnsureAnotherOwnerAsync(db, removing.OrganizationId, DomainMessages.LastOwnerStays, token);
                }

                await RemoveMembershipsAsync(db, removing.OrganizationId, [member], token, choice);
                return (removing, member);
            },
            ct);
        await events.PublishAsync(new(Events.OrganizationEventKind.MemberRemoved, me.OrganizationId, target.UserId), ct);
    }

    /// <summary>The acting user leaves the current organization; the sole owner must transfer ownership first.</summary>
    public async Task LeaveAsync(CancellationToken ct = default)
    {
        await using var db = dbFactory.Create();
        var (organizationId, userId) = await db.WriteAsync(
            async token =>
            {
                var me = await db.RequireAsync(tenant, Permission.LeaveOrganization, token);
                if (me.Membership?.Role == OrganizationRole.Owner)
                {
                    await EnsureAnotherOwnerAsync(db, me.OrganizationId, DomainMessages.TransferOwnership, token);
                }

                var membership = me.Membership ?? throw new DomainException(
                    DomainErrorKind.Conflict, "You reach this organization as staff of its partner; there is no membership of your own to leave.");
                await RemoveMembershipsAsync(db, me.OrganizationId, [membership], token);
                return (me.OrganizationId, membership.UserId);
            },
            ct);
        tenant.Exit();

        // The person's other tabs in this organization leave it too.
        await events.PublishAsync(new(Events.OrganizationEventKind.MemberRemoved, organizationId, userId), ct);
    }

    private static async Task<OrganizationMember> FindMemberAsync(IMultiOrgDb db, Guid organizationId, string userId, CancellationToken ct) =>
        await db.OrganizationMembers.Include(m => m.User)
            .SingleOrDefaultAsync(m => m.OrganizationId == organizationId && m.UserId == userId, ct)
        ?? throw new DomainException(DomainErrorKind.NotFound, DomainMessages.MemberNotFound);

    /// <summary>The message names what the person was doing: leaving, changing the role, or removing.</summary>
    private static async Task EnsureAnotherOwnerAsync(IMultiOrgDb db, Guid organizationId, string refusal, CancellationToken ct)
    {
        var owners = await db.OrganizationMembers.CountAsync(m => m.OrganizationId == organizationId && m.Role == OrganizationRole.Owner, ct);
        if (owners <= 1)
        {
            throw new DomainException(DomainErrorKind.Conflict, refusal);
        }
    }

    private async Task RemoveMembershipsAsync(
        IMultiOrgDb db, Guid organizationId, IReadOnlyCollection<OrganizationMember> memberships, CancellationToken ct, OwnedItemsChoice? choice = null)
    {
        if (memberships.Count == 0)
        {
            return;
        }

        var leaving = memberships.Select(m => m.UserId).ToList();
        await SettleOwnedItemsAsync(db, organizationId, leaving, choice ?? new OwnedItemsChoice(OwnedItemsAction.Revoke), ct);

        // Their places in teams and departments go with the membership (and with them any scoped role).
        db.Set<Teams.TeamMember>().RemoveRange(await db.Set<Teams.TeamMember>().Where(t => leaving.Contains(t.UserId)).ToListAsync(ct));
        db.Set<Teams.DepartmentAdmin>().RemoveRange(await db.Set<Teams.DepartmentAdmin>().Where(a => leaving.Contains(a.UserId)).ToListAsync(ct));
        db.OrganizationMembers.RemoveRange(memberships);
        await db.SaveChangesAsync(ct);
        var userIds = memberships.Select(m => m.UserId).ToList();
        await db.Users.Where(u => userIds.Contains(u.Id) && u.LastOrganizationId == organizationId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastOrganizationId, (Guid?)null), ct);
    }

    /// <summary>
    /// Revokes the leavers' API keys and open invitations, or hands them to another member. A handed-over key keeps at
    /// most its new holder's role, since a key never reaches further than the person it acts for. Written by the
    /// caller's save, so it commits or fails together with the removal.
    /// </summary>
    private async Task SettleOwnedItemsAsync(IMultiOrgDb db, Guid organizationId, List<string> leaving, OwnedItemsChoice choice, CancellationToken ct)
    {
        if (!Enum.IsDefined(choice.Action))
        {
            throw DomainException.Invalid("ownedItems", "Owned items must be Revoke or HandOver.");
        }

        OrganizationMember? successor = null;
        if (choice.Action == OwnedItemsAction.HandOver)
        {
            if (string.IsNullOrWhiteSpace(choice.HandOverToUserId))
            {
                throw DomainException.Invalid("handOverTo", "Choose the member who takes over the API keys and invitations.");
            }

            if (leaving.Contains(choice.HandOverToUserId))
            {
                throw DomainException.Invalid("handOverTo", "Hand over to someone who stays in the organization.");
            }

            successor = await db.OrganizationMembers.AsNoTracking()
                .SingleOrDefaultAsync(m => m.OrganizationId == organizationId && m.UserId == choice.HandOverToUserId, ct)
                ?? throw new DomainException(DomainErrorKind.NotFound, "The member to hand over to is not a member of this organization.", "handOverTo");
        }

        var now = time.GetUtcNow().UtcDateTime;
        foreach (var key in await db.Set<ApiKeys.ApiKey>().Where(k => leaving.Contains(k.CreatedByUserId) && k.RevokedAt == null).ToListAsync(ct))
        {
            if (successor is null)
            {
                key.RevokedAt = now;
            }
            else
            {
                key.CreatedByUserId = successor.UserId;
                key.Role = key.Role > successor.Role ? successor.Role : key.Role;
            }
        }

        foreach (var invitation in await db.Set<Invitations.Invitation>()
            .Where(i => leaving.Contains(i.InvitedByUserId) && i.Status == Invitations.InvitationStatus.Pending).ToListAsync(ct))
        {
            if (successor is null)
            {
                invitation.Status = Invitations.InvitationStatus.Revoked;
                invitation.RespondedAt = now;
            }
            else
            {
                invitation.InvitedByUserId = successor.UserId;
            }
        }
    }
}

using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Permissions;

/// <summary>
/// The one place a service, or a page, asks "may the acting user do this, here, now?": the permission table's checks
/// here, global roles and impersonation limits in Access.Global.cs, what a page shows in <see cref="Abilities"/>.
/// </summary>
public static partial class Access
{
    /// <summary>
    /// The role partner staff hold in the partner's client organizations: the partner's OWNERs act as the client's
    /// owners (a partner-made client has no owner of its own, and someone must be able to keep its audit log, pay for it
    /// and name its admins), its ADMINs as ADMIN, its MEMBERs as MEMBER. Every "owner only" rule reads this.
    /// </summary>
    public static OrganizationRole ClientRoleFor(OrganizationRole partnerRole) => partnerRole;

    /// <summary>
    /// A person's role in an organization: their own membership's, or the one they hold there as staff of its partner
    /// (<see cref="ClientRoleFor"/>), whichever is higher; null when they have neither.
    /// </summary>
    public static OrganizationRole? EffectiveRole(OrganizationRole? own, OrganizationRole? partnerRole) =>
        (own, partnerRole is { } partner ? ClientRoleFor(partner) : (OrganizationRole?)null) switch
        {
            ({ } mine, { } staff) => mine >= staff ? mine : staff,
            (var mine, var staff) => mine ?? staff,
        };

    /// <summary>
    /// The people who own an organization: its own OWNERs and, for a partner-managed client, the partner's OWNERs
    /// (<see cref="ClientRoleFor"/>). Whoever must be told of an owner matter (retention shortened) is this list.
    /// </summary>
    public static async Task<IReadOnlyList<string>> OwnerIdsAsync(this IMultiOrgDb db, Guid organizationId, CancellationToken ct = default)
    {
        var partnerId = await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.PartnerOrganizationId).SingleOrDefaultAsync(ct);
        var owners = await db.OrganizationMembers
            .Where(m => (m.OrganizationId == organizationId || m.OrganizationId == partnerId) && m.Role == OrganizationRole.Owner)
            .Select(m => m.UserId)
            .ToListAsync(ct);
        return [.. owners.Distinct()];
    }

    /// <summary>
    /// Reads the acting user's access to the current organization from the database (a role may have changed since
    /// the circuit entered it) and checks it against the permission table.
    /// </summary>
    public static async Task<EffectiveAccess> RequireAsync(
        this IMultiOrgDb db, TenantContext tenant, Permission permission, CancellationToken ct = default)
    {
        var access = await ResolveAsync(db, tenant, permission, ct);
        if (!access.Allows(permission))
        {
            throw new DomainException(DomainErrorKind.Forbidden, Describe(permission));
        }

        return access;
    }

    /// <summary>
    /// The check for reading what a change permission guards (pending invitations, join requests): the role's row as
    /// <see cref="RequireAsync"/> reads it, but a read-only impersonation is not refused, because read-only means no
    /// writes, never no reads. What no impersonation may do (<see cref="RolePermissions.NotWhileImpersonating"/>) stays refused.
    /// </summary>
    public static async Task<EffectiveAccess> RequireToReadAsync(
        this IMultiOrgDb db, TenantContext tenant, Permission permission, CancellationToken ct = default)
    {
        var access = await ResolveAsync(db, tenant, permission, ct, reading: true);
        if (!access.Allows(permission))
        {
            throw new DomainException(DomainErrorKind.Forbidden, Describe(permission));
        }

        return access;
    }

    /// <summary>
    /// What a session may do beyond its role's row: an impersonation never the acts of
    /// <see cref="RolePermissions.NotWhileImpersonating"/>, a read-only one none of <see cref="RolePermissions.Changes"/>.
    /// The services refuse by it and the pages (<see cref="Abilities"/>) show forms read-only by it.
    /// </summary>
    public static bool SessionAllows(bool impersonating, bool readOnly, Permission permission) =>
        !(impersonating && RolePermissions.NotWhileImpersonating.Contains(permission))
        && !(readOnly && RolePermissions.Changes.Contains(permission));

    /// <summary>
    /// The same check for a team-scoped permission about one team or department: the organization role first, then the
    /// acting person's scoped roles there (Team Leader of the team, Department Admin of its department or one above).
    /// </summary>
    public static async Task<EffectiveAccess> RequireScopedAsync(
        this IMultiOrgDb db, TenantContext tenant, Permission permission, Guid? departmentId, Guid? teamId, CancellationToken ct = default)
    {
        var access = await ResolveAsync(db, tenant, permission, ct);
        if (access.Allows(permission))
        {
            return access;
        }

        if (MayHoldScopedRoles(access, tenant, permission))
        {
            var roles = await db.ScopedRolesAsync(access.UserId, departmentId, teamId, ct);
            if (roles.Any(r => r.Allows(permission)))
            {
                return access;
            }
        }

        throw new DomainException(DomainErrorKind.Forbidden, Describe(permission));
    }

    /// <summary>
    /// The check made before a request says which team or department it is about (the API asks it before it reads the
    /// body): the organization role, or, for a team-scoped permission, a scoped role over any team or department here.
    /// The service then asks <see cref="RequireScopedAsync"/> about the very one.
    /// </summary>
    public static async Task<EffectiveAccess> RequireSomewhereAsync(
        this IMultiOrgDb db, TenantContext tenant, Permission permission, CancellationToken ct = default)
    {
        var access = await ResolveAsync(db, tenant, permission, ct);
        if (access.Allows(permission))
        {
            return access;
        }

        if (MayHoldScopedRoles(access, tenant, permission))
        {
            var userId = access.UserId;
            var leads = await db.Set<Teams.TeamMember>().AnyAsync(m => m.UserId == userId && m.IsLeader, ct);
            var administers = await db.Set<Teams.DepartmentAdmin>().AnyAsync(a => a.UserId == userId, ct);
            if (leads && ScopedRole.TeamLeader.Allows(permission) || administers && ScopedRole.DepartmentAdmin.Allows(permission))
            {
                return access;
            }
        }

        throw new DomainException(DomainErrorKind.Forbidden, Describe(permission));
    }

    // Scoped roles belong to the person: an API key, an impersonation or partner staff never carry them.
    private static bool MayHoldScopedRoles(EffectiveAccess access, TenantContext tenant, Permission permission) =>
        RolePermissions.TeamScoped.Contains(permission) && access.IsDirectMember && tenant.ApiKey is null && tenant.ScimToken is null && tenant.Impersonation is null;

    /// <summary>The scoped roles a person holds over a team (and its department) or a department, from the database.</summary>
    public static async Task<IReadOnlySet<ScopedRole>> ScopedRolesAsync(
        this IMultiOrgDb db, string userId, Guid? departmentId, Guid? teamId, CancellationToken ct = default)
    {
        var roles = new HashSet<ScopedRole>();
        if (teamId is { } team && await db.Set<Teams.TeamMember>().AnyAsync(m => m.TeamId == team && m.UserId == userId && m.IsLeader, ct))
        {
            roles.Add(ScopedRole.TeamLeader);
        }

        if (departmentId is { } department)
        {
            var adminOf = await db.Set<Teams.DepartmentAdmin>().Where(a => a.UserId == userId).Select(a => a.DepartmentId).ToListAsync(ct);
            if (adminOf.Count > 0)
            {
                // Departments are few (a tree of tens or hundreds): one read of the tree, then the walk up in memory.
                var parents = await db.Set<Teams.Department>().AsNoTracking()
                    .ToDictionaryAsync(d => d.Id, d => d.ParentDepartmentId, ct);
                Guid? current = department;
                for (var depth = 0; current is { } at && depth <= parents.Count; depth++, current = parents.GetValueOrDefault(at))
                {
                    if (adminOf.Contains(at))
                    {
                        roles.Add(ScopedRole.DepartmentAdmin);
                        break;
                    }
                }
            }
        }

        return roles;
    }

    /// <summary>
    /// The target-role rule: only someone whose role is at least the target's acts on it (only an owner acts on an
    /// owner), whether the target is a member or a key. The acting role is the effective one (a key's standing,
    /// partner staff's client role), so the UI and every service ask the same question.
    /// </summary>
    public static bool MayActOn(this OrganizationRole acting, OrganizationRole target) => acting >= target;

    /// <summary><see cref="MayActOn"/> for one action, refused with that action's message.</summary>
    public static void RequireMayActOn(this EffectiveAccess access, OrganizationRole target, TargetAction action)
    {
        if (!access.Role.MayActOn(target))
        {
            throw new DomainException(DomainErrorKind.Forbidden, Refusal(action));
        }
    }

    /// <summary>Why the target-role rule refused an action (one by one, or one person's line in a bulk result).</summary>
    public static string Refusal(TargetAction action) => action switch
    {
        TargetAction.RemoveMember => DomainMessages.OnlyOwnerRemovesOwner,
        TargetAction.SignOutEverywhere => DomainMessages.OnlyOwnerSignsOutOwner,
        TargetAction.RevokeApiKey => DomainMessages.OnlyOwnerRevokesOwnerKey,
        _ => DomainMessages.NoAccess,
    };

    /// <summary>
    /// Up to <see cref="HighestRoleToGive"/>: owners any role, the partner's ADMINs a client's ADMIN, others MEMBER; and
    /// partner staff hand a client its first owner.
    /// </summary>
    public static async Task<bool> MayGiveRoleAsync(this IMultiOrgDb db, EffectiveAccess me, OrganizationRole role, CancellationToken ct = default) =>
        role <= HighestRoleToGive(me.Role, me.PartnerRole) || await MayHandOverAsync(db, me, role, ct);

    /// <summary>
    /// A client organization starts with no owner of its own; until it has one, its partner's staff may add its
    /// first owner (handing the client over), and nothing else above MEMBER.
    /// </summary>
    private static async Task<bool> MayHandOverAsync(IMultiOrgDb db, EffectiveAccess me, OrganizationRole role, CancellationToken ct) =>
        role == OrganizationRole.Owner
        && me.ViaPartnerId is not null
        && me.Role == OrganizationRole.Admin
        && !await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == me.OrganizationId && m.Role == OrganizationRole.Owner, ct);

    /// <summary>Who is acting here and with which organization role, before any permission row is read.</summary>
    private static async Task<EffectiveAccess> ResolveAsync(IMultiOrgDb db, TenantContext tenant, Permission permission, CancellationToken ct, bool reading = false)
    {
        var userId = tenant.RequireUser();
        var organizationId = db.OrganizationId ?? throw new DomainException(DomainErrorKind.Forbidden, DomainMessages.NoAccess);
        EffectiveAccess access;
        if (tenant.ApiKey is { } key)
        {
            access = KeyAccess(key, userId, organizationId);
            if (RolePermissions.NotThroughApiKey.Contains(permission))
            {
                throw new DomainException(DomainErrorKind.Forbidden, DomainMessages.KeysAreManagedByPeople);
            }
        }
        else if (tenant.ScimToken is { } token)
        {
            if (token.OrganizationId != organizationId || !RolePermissions.ThroughScimToken.Contains(permission))
            {
                throw new DomainException(DomainErrorKind.Forbidden, DomainMessages.NoAccess);
            }

            // The creator's own membership rides along, so the rules about it (the last owner leaving) hold for the token too.
            var membership = await db.OrganizationMembers.SingleOrDefaultAsync(m => m.OrganizationId == organizationId && m.UserId == userId, ct)
                ?? throw new DomainException(DomainErrorKind.Forbidden, DomainMessages.NoAccess);
            access = new EffectiveAccess(userId, organizationId, token.Role, membership, null);
        }
        else if (tenant.Impersonation is { } impersonation)
        {
            access = await db.ImpersonationAccessAsync(impersonation, userId, organizationId, ct);
            if (RolePermissions.NotWhileImpersonating.Contains(permission))
            {
                throw new DomainException(DomainErrorKind.Forbidden, DomainMessages.NotWhileImpersonating);
            }

            if (!impersonation.WriteEnabled && !reading && RolePermissions.Changes.Contains(permission))
            {
                throw new DomainException(DomainErrorKind.Forbidden, DomainMessages.ReadOnlyImpersonation);
            }
        }
        else
        {
            access = await db.FindAccessAsync(userId, organizationId, ct) ?? throw new DomainException(DomainErrorKind.Forbidden, DomainMessages.NoAccess);
        }

        // The allow-list binds at every action, so a list saved while someone works stops them at their next step.
        await Security.SecurityGate.CheckAddressAsync(db, tenant, ct);
        return access;
    }

    /// <summary>
    /// An API key reaches exactly its own organization, with <see cref="ApiKeys.ApiKeyIdentity.Role"/>: the standing
    /// <see cref="KeyStandingsAsync"/> read when the request was authenticated, never more than its creator's.
    /// </summary>
    public static EffectiveAccess KeyAccess(ApiKeys.ApiKeyIdentity key, string userId, Guid organizationId) =>
        key.OrganizationId == organizationId
            ? new EffectiveAccess(userId, organizationId, key.Role, null, null)
            : throw new DomainException(DomainErrorKind.Forbidden, DomainMessages.NoAccess);

    /// <summary>
    /// Each key's standing now: refused when revoked or expired, or when its creator's account is gone, locked out, or
    /// has no access to the key's organization (neither a member nor staff of its partner); otherwise the lower of the
    /// key's role and the creator's role there. Read from the database at each use, so every server agrees at once.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, ApiKeys.ApiKeyStanding>> KeyStandingsAsync(
        this IMultiOrgDb db, IReadOnlyCollection<ApiKeys.ApiKey> keys, DateTime now, CancellationToken ct = default)
    {
        var creatorIds = keys.Select(k => k.CreatedByUserId).Distinct().ToList();
        var creators = (await db.Users.Where(u => creatorIds.Contains(u.Id)).Select(u => new { u.Id, u.LockoutEnd }).ToListAsync(ct))
            .ToDictionary(u => u.Id, u => u.LockoutEnd);
        var standings = new Dictionary<Guid, ApiKeys.ApiKeyStanding>();
        var creatorAccess = new Dictionary<(string, Guid), EffectiveAccess?>();
        foreach (var key in keys)
        {
            if (key.RevokedAt is not null)
            {
                standings[key.Id] = ApiKeys.ApiKeyStanding.Refused(ApiKeys.ApiKeyRefusal.Revoked);
            }
            else if (key.ExpiresAt <= now)
            {
                standings[key.Id] = ApiKeys.ApiKeyStanding.Refused(ApiKeys.ApiKeyRefusal.Expired);
            }
            else if (!creators.TryGetValue(key.CreatedByUserId, out var lockoutEnd))
            {
                standings[key.Id] = ApiKeys.ApiKeyStanding.Refused(ApiKeys.ApiKeyRefusal.CreatorDeleted);
            }
            else if (lockoutEnd > new DateTimeOffset(now, TimeSpan.Zero))
            {
                standings[key.Id] = ApiKeys.ApiKeyStanding.Refused(ApiKeys.ApiKeyRefusal.CreatorLockedOut);
            }
            else
            {
                var pair = (key.CreatedByUserId, key.OrganizationId);
                if (!creatorAccess.TryGetValue(pair, out var access))
                {
                    access = creatorAccess[pair] = await db.FindAccessAsync(key.CreatedByUserId, key.OrganizationId, ct);
                }

                standings[key.Id] = access is null
                    ? ApiKeys.ApiKeyStanding.Refused(ApiKeys.ApiKeyRefusal.CreatorHasNoAccess)
                    : new ApiKeys.ApiKeyStanding(access.Role < key.Role ? access.Role : key.Role, ApiKeys.ApiKeyRefusal.None);
            }
        }

        return standings;
    }

    /// <summary>
    /// A support user impersonating: ADMIN's view of the one impersonated organization (never OWNER actions), and only
    /// while the stored session is still open, so ending it in one tab, or the time limit, stops every tab at once.
    /// </summary>
    public static async Task<EffectiveAccess> ImpersonationAccessAsync(
        this IMultiOrgDb db, Support.ImpersonationGrant impersonation, string userId, Guid organizationId, CancellationToken ct = default)
    {
        if (impersonation.OrganizationId != organizationId)
        {
            throw new DomainException(DomainErrorKind.Forbidden, $"You are impersonating {impersonation.OrganizationName}. End the impersonation to go elsewhere.");
        }

        var now = db.Time.GetUtcNow().UtcDateTime;
        var open = await db.Set<Support.ImpersonationSession>()
            .AnyAsync(s => s.Id == impersonation.SessionId && s.SupportUserId == userId && s.EndedAt == null && s.ExpiresAt > now, ct);
        if (!open)
        {
            throw new DomainException(DomainErrorKind.Forbidden, DomainMessages.ImpersonationEnded);
        }

        return new EffectiveAccess(userId, organizationId, OrganizationRole.Admin, null, null) { Impersonation = impersonation };
    }

    /// <summary>The user's access to an organization, or null when they have none (not a member, not its partner's staff).</summary>
    public static async Task<EffectiveAccess?> FindAccessAsync(this IMultiOrgDb db, string userId, Guid organizationId, CancellationToken ct = default)
    {
        var direct = await db.OrganizationMembers
            .SingleOrDefaultAsync(m => m.OrganizationId == organizationId && m.UserId == userId, ct);
        var viaPartner = await db.Organizations
            .Where(o => o.Id == organizationId && o.PartnerOrganizationId != null)
            .Select(o => new
            {
                PartnerId = o.PartnerOrganizationId!.Value,
                PartnerRole = db.OrganizationMembers
                    .Where(m => m.OrganizationId == o.PartnerOrganizationId && m.UserId == userId)
                    .Select(m => (OrganizationRole?)m.Role)
                    .FirstOrDefault(),
            })
            .SingleOrDefaultAsync(ct);

        return EffectiveRole(direct?.Role, viaPartner?.PartnerRole) is { } role
            ? new EffectiveAccess(userId, organizationId, role, direct, viaPartner?.PartnerRole is null ? null : viaPartner.PartnerId, viaPartner?.PartnerRole)
            : null;
    }

    private static string Describe(Permission permission) => permission switch
    {
        Permission.EditOrganization => "Only owners and admins can edit this organization.",
        Permission.DeleteOrganization => "Only owners can delete this organization.",
        Permission.InviteMembers => "Only owners and admins can add members.",
        Permission.RemoveMembers => "Only owners and admins can remove members.",
        Permission.ChangeMemberRoles => "Only owners can change member roles.",
        Permission.CreateClients => "Only owners and admins of a partner organization can create client organizations.",
        Permission.EditConfiguration => "Only owners and admins can change the accounting configuration.",
        Permission.ManageApiKeys => "Only owners and admins can manage API keys.",
        Permission.ViewAuditLog => "Only owners and admins can read the audit log.",
        Permission.ViewBilling => "Only owners and admins can see billing.",
        Permission.ManageBilling => "Only owners (and, in a client organization, its partner's owners and admins) can change the plan, seats or buy credits.",
        Permission.ManageClients => "Only owners and admins of a partner organization can see and change their clients' configuration.",
        Permission.ViewSecurity or Permission.ManageSecurity => "Only owners and admins can see and change the security policies.",
        Permission.ManageDepartments => "Only owners and admins can change departments and name department admins.",
        Permission.ManageTeams => "Only owners, admins and the department's admins can change this department's teams.",
        Permission.NameTeamLeaders => "Only owners, admins and the department's admins can name this team's leaders.",
        Permission.ManageTeamMembers => "Only owners, admins, the team's leaders and its department's admins can change who is in this team.",
        Permission.ManageDirectorySync => "Only owners can create and revoke SCIM tokens.",
        _ => DomainMessages.NoAccess,
    };
}

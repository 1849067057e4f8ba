using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Permissions;

/// <summary>
/// What the person in a page may do in the organization the circuit is in, from <see cref="Access"/>'s rules and the
/// role seen when the circuit entered it: a page asks <see cref="Access.AbilitiesOf(TenantContext)"/> once per render and
/// hides what the services would refuse (they re-read the role and decide). A read-only impersonation sees every form
/// read-only and no button that changes anything: <see cref="Can"/> answers no for every change it would be refused.
/// </summary>
public sealed record Abilities(string? UserId, OrganizationRole? Role, bool Impersonating, bool ReadOnly = false, Reach? Reach = null)
{
    /// <summary>Outside any organization: nothing.</summary>
    public static readonly Abilities None = new(null, null, false);

    /// <summary>The organization role allows it, and this session may do it (<see cref="Access.SessionAllows"/>).</summary>
    public bool Can(Permission permission) =>
        Role is { } role && Access.Allows(role, Reach?.PartnerRole, permission) && Access.SessionAllows(Impersonating, ReadOnly, permission);

    /// <summary>Offer Leave: only to someone with a membership of their own (<see cref="Access.MayLeave"/>).</summary>
    public bool CanLeave => Role is not null && Access.MayLeave(Reach ?? Permissions.Reach.OwnMember, Impersonating);

    /// <summary>A newcomer may be given a role above MEMBER (<see cref="Access.HighestRoleToGive"/>).</summary>
    public bool CanGiveRolesAboveMember =>
        Role is { } role && !Impersonating && Access.HighestRoleToGive(role, Reach?.PartnerRole) > OrganizationRole.Member;

    /// <summary>
    /// See what a change permission guards (pending invitations, join requests): the role's row, in any session that
    /// may act here at all; a read-only impersonation reads it too (<see cref="Access.RequireToReadAsync"/>).
    /// </summary>
    public bool CanRead(Permission permission) => Role is { } role && Access.Allows(role, Reach?.PartnerRole, permission) && Access.SessionAllows(Impersonating, readOnly: false, permission);

    /// <summary>
    /// <see cref="Can"/>, for a permission that serves reading and writing alike (notes under UseOrganizationData,
    /// revoking under ManageApiKeys): the write, which a read-only impersonation may not make.
    /// </summary>
    public bool CanChange(Permission permission) => Can(permission) && !ReadOnly;

    /// <summary>Create an API key: never while impersonating, so no secret is ever shown to support (the key service's rule).</summary>
    public bool CanCreateKeys => Can(Permission.ManageApiKeys) && !Impersonating;

    /// <summary>
    /// The role's row of the table, whatever the session: where the navigation shows the role's places (a partner's
    /// dashboard link for an impersonating ADMIN too); the page and its service then decide what this session may do.
    /// </summary>
    public bool RoleAllows(Permission permission) => Role is { } role && role.Allows(permission);

    /// <summary>The target-role rule (<see cref="Access.MayActOn"/>): only an owner acts on an owner.</summary>
    public bool CanActOn(OrganizationRole target) => Role is { } role && role.MayActOn(target);

    /// <summary>Remove a member or sign them out everywhere: yourself is "Leave", and only an owner acts on an owner.</summary>
    public bool CanActOnMember(string userId, OrganizationRole role) =>
        userId != UserId && Can(Permission.RemoveMembers) && CanActOn(role);

    /// <summary>The roles a new API key may be given: at most one's own (the rule the key service applies).</summary>
    public IReadOnlyList<OrganizationRole> KeyRoles =>
        [.. new[] { OrganizationRole.Member, OrganizationRole.Admin, OrganizationRole.Owner }.Where(CanActOn)];

    /// <summary>Select members to change their role or remove them together.</summary>
    public bool CanActOnMany => Can(Permission.ChangeMemberRoles) || Can(Permission.RemoveMembers);
}

public static partial class Access
{
    /// <summary>The acting person's <see cref="Abilities"/> in the circuit's organization (none outside one).</summary>
    public static Abilities AbilitiesOf(TenantContext tenant) =>
        new(tenant.UserId, tenant.Role, tenant.Impersonation is not null, tenant.Impersonation is { WriteEnabled: false },
            tenant.Role is null ? null : tenant.Reach);

    /// <summary>
    /// The abilities of <paramref name="role"/> as a service just read it (an organization's details carry the caller's
    /// role of the moment, which may be newer than the circuit's), within this circuit's session (an impersonation's limits).
    /// </summary>
    public static Abilities AbilitiesOf(TenantContext tenant, OrganizationRole role) => AbilitiesOf(tenant) with { Role = role };
}

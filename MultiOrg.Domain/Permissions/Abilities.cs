using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Permissions;

/// <summary>
/// What the person in a page may do in the organization the circuit is in, from <see cref="Access"/>'s rules and the
/// role seen when the circuit entered it: a page asks <see cref="Access.AbilitiesOf"/> once per render and hides what
/// the services would refuse (they re-read the role and decide). <see cref="Can"/> deliberately ignores a read-only
/// impersonation (support sees the forms admins see, and the service's refusal says the session is read-only);
/// <see cref="CanChange"/> is for the few controls that stay disabled in one.
/// </summary>
public sealed record Abilities(string? UserId, OrganizationRole? Role, bool Impersonating, bool ReadOnly = false)
{
    /// <summary>Outside any organization: nothing.</summary>
    public static readonly Abilities None = new(null, null, false);

    /// <summary>The organization role allows it, and it is not one of the acts an impersonation never gets.</summary>
    public bool Can(Permission permission) =>
        Role is { } role && role.Allows(permission) && !(Impersonating && RolePermissions.NotWhileImpersonating.Contains(permission));

    /// <summary><see cref="Can"/>, and the session may change data: a read-only impersonation may not.</summary>
    public bool CanChange(Permission permission) => Can(permission) && !(ReadOnly && RolePermissions.Changes.Contains(permission));

    /// <summary>The target-role rule (<see cref="Access.MayActOn"/>): only an owner acts on an owner.</summary>
    public bool CanActOn(OrganizationRole target) => Role is { } role && role.MayActOn(target);

    /// <summary>Remove a member or sign them out everywhere: yourself is "Leave", and only an owner acts on an owner.</summary>
    public bool CanActOnMember(string userId, OrganizationRole role) =>
        userId != UserId && Can(Permission.RemoveMembers) && CanActOn(role);

    /// <summary>Select members to change their role or remove them together.</summary>
    public bool CanActOnMany => Can(Permission.ChangeMemberRoles) || Can(Permission.RemoveMembers);
}

public static partial class Access
{
    /// <summary>The acting person's <see cref="Abilities"/> in the circuit's organization (none outside one).</summary>
    public static Abilities AbilitiesOf(TenantContext tenant) =>
        new(tenant.UserId, tenant.Role, tenant.Impersonation is not null, tenant.Impersonation is { WriteEnabled: false });
}

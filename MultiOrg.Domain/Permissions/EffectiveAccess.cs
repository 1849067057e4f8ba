using MultiOrg.Domain.Organizations;

namespace MultiOrg.Domain.Permissions;

/// <summary>
/// What the acting user may do in one organization right now: their own membership's role, or the role they hold
/// there as staff of its partner (see <see cref="Access.ClientRoleFor"/>), whichever is higher; <see cref="PartnerRole"/>
/// is their role in that partner (<see cref="Access.PartnerStaffGrants"/>).
/// </summary>
public sealed record EffectiveAccess(
    string UserId, Guid OrganizationId, OrganizationRole Role, OrganizationMember? Membership, Guid? ViaPartnerId, OrganizationRole? PartnerRole = null)
{
    public bool IsDirectMember => Membership is not null;

    public Reach Reach => new(IsDirectMember, PartnerRole);

    /// <summary>The one question every check asks: the role's row, or partner staff's grants in a client.</summary>
    public bool Allows(Permission permission) => Access.Allows(Role, PartnerRole, permission);

    /// <summary>Set when a support user acts through an impersonation: its limits bind on top of the role's row.</summary>
    public Support.ImpersonationGrant? Impersonation { get; init; }

    /// <summary>
    /// The role's row (or partner staff's grants) allows it and this session may do it (<see cref="Access.SessionAllows"/>): what a service says in
    /// a view's "can edit", so a read-only impersonation gets its forms read-only instead of refused after Save.
    /// </summary>
    public bool May(Permission permission) =>
        Allows(permission) && Access.SessionAllows(Impersonation is not null, Impersonation is { WriteEnabled: false }, permission);
}

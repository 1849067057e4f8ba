using System.Collections.Frozen;
using MultiOrg.Domain.Organizations;

namespace MultiOrg.Domain.Permissions;

/// <summary>
/// How a person reaches an organization: by a membership of their own (<see cref="Member"/>), as staff of its partner
/// (<see cref="PartnerRole"/>, their role in the partner), or both. The circuit keeps it beside the role; services re-read it.
/// </summary>
public sealed record Reach(bool Member, OrganizationRole? PartnerRole)
{
    /// <summary>An organization's own member, no partner in between (and every context that is not a person's).</summary>
    public static readonly Reach OwnMember = new(true, null);
}

/// <summary>What partner staff may do in the partner's client organizations beyond their client role.</summary>
public static partial class Access
{
    /// <summary>
    /// Rights the partner's OWNERs and ADMINs hold in every client whatever their client role: they pay for it (buy
    /// credits, change its plan and seats; its statements may already be billed to the partner), so a client the
    /// partner made, which has no owner of its own, never runs out of credits for want of someone allowed to buy.
    /// </summary>
    public static readonly FrozenSet<Permission> PartnerStaffGrants = new[] { Permission.ManageBilling }.ToFrozenSet();

    /// <summary>The role table, plus <see cref="PartnerStaffGrants"/> for the partner's OWNERs and ADMINs.</summary>
    public static bool Allows(OrganizationRole role, OrganizationRole? partnerRole, Permission permission) =>
        role.Allows(permission) || IsPartnerStaff(partnerRole) && PartnerStaffGrants.Contains(permission);

    /// <summary>
    /// The highest role someone may give a newcomer here: owners any; the partner's ADMINs name a client's admins
    /// (and hand it its first owner, <see cref="MayGiveRoleAsync"/>); everyone else MEMBER only.
    /// </summary>
    public static OrganizationRole HighestRoleToGive(OrganizationRole role, OrganizationRole? partnerRole) =>
        role.Allows(Permission.ChangeMemberRoles) ? OrganizationRole.Owner
        : IsPartnerStaff(partnerRole) ? OrganizationRole.Admin
        : OrganizationRole.Member;

    /// <summary>
    /// Leaving is giving up one's own membership: someone who reaches the organization only as its partner's staff has
    /// none (the service answers 409), so a page offers Leave to members only, and never to an impersonation.
    /// </summary>
    public static bool MayLeave(Reach reach, bool impersonating) => reach.Member && !impersonating;

    private static bool IsPartnerStaff(OrganizationRole? partnerRole) => partnerRole is OrganizationRole.Owner or OrganizationRole.Admin;
}

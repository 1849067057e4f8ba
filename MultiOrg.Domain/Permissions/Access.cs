using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.Permissions;

/// <summary>The one place a service asks "may the acting user do this, here, now?".</summary>
public static class Access
{
    /// <summary>
    /// Reads the acting user's membership of the current organization from the database (a role may have
    /// changed since the circuit entered it) and checks it against the permission table.
    /// </summary>
    public static async Task<OrganizationMember> RequireAsync(
        this IMultiOrgDb db, TenantContext tenant, Permission permission, CancellationToken ct = default)
    {
        var userId = tenant.RequireUser();
        var organizationId = tenant.RequireOrganization();
        var membership = await db.OrganizationMembers
            .SingleOrDefaultAsync(m => m.OrganizationId == organizationId && m.UserId == userId, ct)
            ?? throw new DomainException(DomainErrorKind.Forbidden, DomainMessages.NoAccess);

        if (!membership.Role.Allows(permission))
        {
            throw new DomainException(DomainErrorKind.Forbidden, Describe(permission));
        }

        return membership;
    }

    private static string Describe(Permission permission) => permission switch
    {
        Permission.EditOrganization => "Only owners and admins can edit this organization.",
        Permission.DeleteOrganization => "Only owners can delete this organization.",
        Permission.InviteMembers => "Only owners and admins can add members.",
        Permission.RemoveMembers => "Only owners and admins can remove members.",
        Permission.ChangeMemberRoles => "Only owners can change member roles.",
        _ => DomainMessages.NoAccess,
    };
}

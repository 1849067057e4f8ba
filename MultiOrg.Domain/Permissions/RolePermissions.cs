using System.Collections.Frozen;
using MultiOrg.Domain.Organizations;

namespace MultiOrg.Domain.Permissions;

/// <summary>
/// The permission matrix of the design document, as the one table every check reads: services, the UI
/// (to hide what would be refused) and the tests.
/// </summary>
public static class RolePermissions
{
    public static readonly FrozenDictionary<Permission, FrozenSet<OrganizationRole>> Matrix =
        new Dictionary<Permission, FrozenSet<OrganizationRole>>
        {
            [Permission.ViewOrganization] = Roles(OrganizationRole.Owner, OrganizationRole.Admin, OrganizationRole.Member),
            [Permission.EditOrganization] = Roles(OrganizationRole.Owner, OrganizationRole.Admin),
            [Permission.DeleteOrganization] = Roles(OrganizationRole.Owner),
            [Permission.InviteMembers] = Roles(OrganizationRole.Owner, OrganizationRole.Admin),
            [Permission.RemoveMembers] = Roles(OrganizationRole.Owner, OrganizationRole.Admin),
            [Permission.ChangeMemberRoles] = Roles(OrganizationRole.Owner),
            [Permission.ViewMembers] = Roles(OrganizationRole.Owner, OrganizationRole.Admin, OrganizationRole.Member),

            // An owner may leave only while another owner remains; the member service enforces that part.
            [Permission.LeaveOrganization] = Roles(OrganizationRole.Owner, OrganizationRole.Admin, OrganizationRole.Member),
            [Permission.UseOrganizationData] = Roles(OrganizationRole.Owner, OrganizationRole.Admin, OrganizationRole.Member),
            [Permission.EditConfiguration] = Roles(OrganizationRole.Owner, OrganizationRole.Admin),

            // Only inside a partner organization; the onboarding service checks the kind.
            [Permission.CreateClients] = Roles(OrganizationRole.Owner, OrganizationRole.Admin),
            [Permission.ManageApiKeys] = Roles(OrganizationRole.Owner, OrganizationRole.Admin),
            [Permission.ViewAuditLog] = Roles(OrganizationRole.Owner, OrganizationRole.Admin),
            [Permission.ViewBilling] = Roles(OrganizationRole.Owner, OrganizationRole.Admin),
            [Permission.ManageBilling] = Roles(OrganizationRole.Owner),

            // Only inside a partner organization; the partner services check the kind.
            [Permission.ManageClients] = Roles(OrganizationRole.Owner, OrganizationRole.Admin),
            [Permission.ViewSecurity] = Roles(OrganizationRole.Owner, OrganizationRole.Admin),
            [Permission.ManageSecurity] = Roles(OrganizationRole.Owner, OrganizationRole.Admin),
            [Permission.ManageSingleSignOn] = Roles(OrganizationRole.Owner),
            [Permission.ManageAuditRetention] = Roles(OrganizationRole.Owner),
            [Permission.ManageDirectorySync] = Roles(OrganizationRole.Owner),

            // Teams and departments: OWNER and ADMIN everywhere; the scoped roles below add the rest, each in its scope.
            [Permission.ManageDepartments] = Roles(OrganizationRole.Owner, OrganizationRole.Admin),
            [Permission.ManageTeams] = Roles(OrganizationRole.Owner, OrganizationRole.Admin),
            [Permission.NameTeamLeaders] = Roles(OrganizationRole.Owner, OrganizationRole.Admin),
            [Permission.ManageTeamMembers] = Roles(OrganizationRole.Owner, OrganizationRole.Admin),
        }.ToFrozenDictionary();

    /// <summary>
    /// The permissions that are asked about one team or department. Only these rows may name a scoped role, so a Team
    /// Leader or Department Admin never gains an organization-level right (a test holds the table to it).
    /// </summary>
    public static readonly FrozenSet<Permission> TeamScoped = new[]
    {
        Permission.ManageTeams, Permission.NameTeamLeaders, Permission.ManageTeamMembers,
    }.ToFrozenSet();

    /// <summary>The scoped roles' rows: a Department Admin over their department's teams, a Team Leader over their team.</summary>
    public static readonly FrozenDictionary<Permission, FrozenSet<ScopedRole>> Scoped =
        new Dictionary<Permission, FrozenSet<ScopedRole>>
        {
            [Permission.ManageTeams] = new[] { ScopedRole.DepartmentAdmin }.ToFrozenSet(),
            [Permission.NameTeamLeaders] = new[] { ScopedRole.DepartmentAdmin }.ToFrozenSet(),
            [Permission.ManageTeamMembers] = new[] { ScopedRole.DepartmentAdmin, ScopedRole.TeamLeader }.ToFrozenSet(),
        }.ToFrozenDictionary();

    /// <summary>Permissions that exist only to change something: a read-only impersonation is refused every one of them.</summary>
    public static readonly FrozenSet<Permission> Changes = new[]
    {
        Permission.EditOrganization, Permission.DeleteOrganization, Permission.InviteMembers, Permission.RemoveMembers,
        Permission.ChangeMemberRoles, Permission.LeaveOrganization, Permission.EditConfiguration, Permission.CreateClients,
        Permission.ManageBilling, Permission.ManageClients, Permission.ManageSecurity, Permission.ManageSingleSignOn, Permission.ManageAuditRetention, Permission.ManageDepartments,
        Permission.ManageDirectorySync, Permission.ManageTeams, Permission.NameTeamLeaders, Permission.ManageTeamMembers,
    }.ToFrozenSet();

    /// <summary>
    /// Never granted to an impersonation, even a write-enabled one: OWNER actions, and creating client organizations
    /// (which hands out a new organization's API key).
    /// </summary>
    public static readonly FrozenSet<Permission> NotWhileImpersonating = new[]
    {
        Permission.DeleteOrganization, Permission.ChangeMemberRoles, Permission.CreateClients, Permission.ManageBilling,

        // Reads and writes across the partner's client organizations; an impersonation reaches its one organization.
        Permission.ManageClients,

        // Support must not loosen (or tighten) who may reach an organization while acting as one of its admins.
        Permission.ManageSecurity, Permission.ManageSingleSignOn, Permission.ManageAuditRetention, Permission.ManageDirectorySync,
    }.ToFrozenSet();

    /// <summary>
    /// Never granted through the API-key door, whatever the key's role: a key that made keys would hand out
    /// credentials that outlive its own revocation and expiry, so keys are managed by a signed-in person.
    /// </summary>
    public static readonly FrozenSet<Permission> NotThroughApiKey = new[] { Permission.ManageApiKeys, Permission.ManageDirectorySync }.ToFrozenSet();

    /// <summary>
    /// All a SCIM token is ever granted (within its creator's role of the moment): reading and changing who is a member
    /// and in which teams. Everything else (settings, keys, billing, roles) is refused whatever the creator may do.
    /// </summary>
    public static readonly FrozenSet<Permission> ThroughScimToken = new[]
    {
        Permission.ViewOrganization, Permission.ViewMembers, Permission.InviteMembers, Permission.RemoveMembers,
        Permission.LeaveOrganization, Permission.ManageTeams, Permission.ManageTeamMembers,
    }.ToFrozenSet();

    public static bool Allows(this OrganizationRole role, Permission permission) =>
        Matrix.TryGetValue(permission, out var roles) && roles.Contains(role);

    public static bool Allows(this ScopedRole role, Permission permission) =>
        TeamScoped.Contains(permission) && Scoped.TryGetValue(permission, out var roles) && roles.Contains(role);

    private static FrozenSet<OrganizationRole> Roles(params OrganizationRole[] roles) => roles.ToFrozenSet();
}

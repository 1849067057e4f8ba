namespace MultiOrg.Domain.Permissions;

/// <summary>
/// A role held over one team or department, on top of the organization role. It only ever reaches the team-scoped
/// rows of the permission table (<see cref="RolePermissions.Scoped"/>), never an organization-level permission.
/// </summary>
public enum ScopedRole
{
    /// <summary>Manages who is in their team.</summary>
    TeamLeader,

    /// <summary>Manages the teams of their department (and the departments below it) and names their leaders.</summary>
    DepartmentAdmin,
}

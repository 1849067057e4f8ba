namespace MultiOrg.Domain.Permissions;

/// <summary>Something a role may or may not do inside an organization (rows of the permission matrix).</summary>
public enum Permission
{
    ViewOrganization,
    EditOrganization,
    DeleteOrganization,
    InviteMembers,
    RemoveMembers,
    ChangeMemberRoles,
    ViewMembers,
    LeaveOrganization,
    UseOrganizationData,
    EditConfiguration,
    CreateClients,
    ManageApiKeys,
    ViewAuditLog,
    ViewBilling,
    ManageBilling,

    /// <summary>The partner's overview of its clients, their configuration drift and pushing configuration to them.</summary>
    ManageClients,

    /// <summary>Read the organization's security policies.</summary>
    ViewSecurity,

    /// <summary>Change the organization's security policies (two-factor, passwords, idle timeout, allow-list, retention).</summary>
    ManageSecurity,

    /// <summary>Set the organization's single sign-on provider, its domains and whether it is required (OWNER only).</summary>
    ManageSingleSignOn,

    /// <summary>Create, rename and delete departments; name Department Admins.</summary>
    ManageDepartments,

    /// <summary>Create, rename and delete teams (a Department Admin: inside their department).</summary>
    ManageTeams,

    /// <summary>Make a team member its Team Leader, or not.</summary>
    NameTeamLeaders,

    /// <summary>Add members to a team and take them out.</summary>
    ManageTeamMembers,

    /// <summary>Change how long the audit log is kept (OWNER only: whoever may shorten it could erase their own trail).</summary>
    ManageAuditRetention,

    /// <summary>Create and revoke the organization's SCIM tokens (directory sync from its identity provider; OWNER only).</summary>
    ManageDirectorySync,
}

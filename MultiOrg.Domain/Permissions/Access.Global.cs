using Microsoft.EntityFrameworkCore;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Domain.Users;

namespace MultiOrg.Domain.Permissions;

/// <summary>The installation-wide roles (support staff, system administrators) and the limits of an impersonation.</summary>
public static partial class Access
{
    /// <summary>Support staff: the support role, and system administrators, who may do all support does.</summary>
    public static bool IsSupportStaff(this GlobalRole role) => role is GlobalRole.Support or GlobalRole.SystemAdmin;

    /// <summary>System administrators: support staff who also manage the internal users and every organization's fate.</summary>
    public static bool IsSystemAdmin(this GlobalRole role) => role == GlobalRole.SystemAdmin;

    /// <summary>
    /// The acting person's installation-wide role, read from the database at each use. It is the person's: an API key
    /// or a SCIM token never carries one, whoever made it.
    /// </summary>
    public static async Task<GlobalRole> GlobalRoleAsync(this IMultiOrgDb db, TenantContext tenant, CancellationToken ct = default)
    {
        if (tenant.UserId is not { } userId || tenant.ApiKey is not null || tenant.ScimToken is not null)
        {
            return GlobalRole.User;
        }

        return await db.Users.Where(u => u.Id == userId).Select(u => u.GlobalRole).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Support staff only, refused with <paramref name="refusal"/>. <paramref name="outsideImpersonation"/>: work that
    /// reaches beyond one organization, which an impersonation (pinned to its one organization) does not do.
    /// </summary>
    public static async Task<GlobalRole> RequireSupportStaffAsync(
        this IMultiOrgDb db, TenantContext tenant, string refusal, bool outsideImpersonation = false, CancellationToken ct = default)
    {
        var role = outsideImpersonation && tenant.Impersonation is not null ? GlobalRole.User : await db.GlobalRoleAsync(tenant, ct);
        return role.IsSupportStaff() ? role : throw new DomainException(DomainErrorKind.Forbidden, refusal);
    }

    /// <summary>System administrators only, refused with <paramref name="refusal"/>.</summary>
    public static async Task RequireSystemAdminAsync(this IMultiOrgDb db, TenantContext tenant, string refusal, CancellationToken ct = default)
    {
        if (await db.GlobalRoleAsync(tenant, ct) != GlobalRole.SystemAdmin)
        {
            throw new DomainException(DomainErrorKind.Forbidden, refusal);
        }
    }

    /// <summary>
    /// Who may start an impersonation: support staff; one that may change data only a system administrator. What it
    /// may do once started is <see cref="ImpersonationAccessAsync"/> (ADMIN's view) minus
    /// <see cref="RolePermissions.NotWhileImpersonating"/>, and no <see cref="RolePermissions.Changes"/> when read-only.
    /// </summary>
    public static void RequireMayImpersonate(this GlobalRole role, bool writeEnabled)
    {
        if (!role.IsSupportStaff())
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only support staff can impersonate an organization.");
        }

        if (writeEnabled && role != GlobalRole.SystemAdmin)
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only system administrators can start an impersonation that may change data.", "writeEnabled");
        }
    }

    /// <summary>
    /// An open impersonation is picked up only by a person's page (a new tab, a reconnect): never by an API key, the
    /// API, the assistant or a job, which act with their own rights and no banner to show it.
    /// </summary>
    public static bool MayResumeImpersonation(TenantContext tenant) =>
        tenant.UserId is not null && tenant.ApiKey is null && tenant.Door == Door.Page;

    /// <summary>
    /// Refused in a read-only impersonation: a write guarded by a permission that also serves reading, to rows that are
    /// not the organization's own (the save guard of a read-only context refuses only those).
    /// </summary>
    public static void RequireMayWrite(TenantContext tenant)
    {
        if (tenant.Impersonation is { WriteEnabled: false })
        {
            throw new DomainException(DomainErrorKind.Forbidden, DomainMessages.ReadOnlyImpersonation);
        }
    }

    /// <summary>
    /// Refused while impersonating, with the caller's message: acts that are not about the impersonated organization's
    /// data (creating an organization of one's own) or that would hand its secrets to support (a new API key).
    /// </summary>
    public static void RequireNotImpersonating(TenantContext tenant, string refusal)
    {
        if (tenant.Impersonation is not null)
        {
            throw new DomainException(DomainErrorKind.Forbidden, refusal);
        }
    }
}

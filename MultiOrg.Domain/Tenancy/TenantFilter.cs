namespace MultiOrg.Domain.Tenancy;

/// <summary>
/// The name of the tenant query filter. Ignoring it is reserved to the few audited cross-tenant services (a test keeps
/// the list): API-key lookup at sign-in, support, partner aggregation.
/// </summary>
public static class TenantFilter
{
    public const string Name = "Tenant";
}

namespace MultiOrg.Domain.Tenancy;

/// <summary>Data that belongs to exactly one organization; the DbContext filters and guards it by tenant.</summary>
public interface ITenantOwned
{
    Guid OrganizationId { get; set; }
}

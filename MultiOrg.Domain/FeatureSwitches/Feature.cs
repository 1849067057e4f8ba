using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Domain.FeatureSwitches;

/// <summary>Parts of MultiOrg an organization can switch off, and a plan may leave out.</summary>
public enum Feature
{
    ApiAccess,
    Assistant,
    CsvImport,
    ClientOrganizations,
}

/// <summary>
/// An organization's own choice for one feature. No row means on: a feature is off only because someone switched it
/// off (audited like every change) or because the plan leaves it out.
/// </summary>
public sealed class FeatureSwitch : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OrganizationId { get; set; }

    public Feature Feature { get; set; }

    public bool Enabled { get; set; }

    public DateTime ChangedAt { get; set; }
}

/// <summary>Why a feature can or cannot be used in the current organization.</summary>
public sealed record FeatureStatus(Feature Feature, string Label, bool SwitchedOn, bool PlanIncludes, bool PaymentOverdue, string? Refusal)
{
    public bool Available => Refusal is null;
}

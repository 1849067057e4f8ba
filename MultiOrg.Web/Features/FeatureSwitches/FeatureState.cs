using MultiOrg.Domain.Errors;
using MultiOrg.Domain.FeatureSwitches;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Web.Features.FeatureSwitches;

/// <summary>
/// The current organization's features for this circuit, so the shell and pages hide what the services would refuse.
/// Loaded once per organization entered and reloaded when a switch changes; the services still decide.
/// </summary>
public sealed class FeatureState(FeatureService features, TenantContext tenant)
{
    private Guid? loadedFor;
    private IReadOnlyList<FeatureStatus> current = [];

    public event Action? Changed;

    public bool IsAvailable(Feature feature) =>
        loadedFor is not null && loadedFor == tenant.OrganizationId && current.Any(s => s.Feature == feature && s.Available);

    /// <summary>Switched on and in the plan: its pages stay visible while an overdue bill only pauses its paid actions.</summary>
    public bool IsShown(Feature feature) =>
        loadedFor is not null && loadedFor == tenant.OrganizationId && current.Any(s => s.Feature == feature && s.SwitchedOn && s.PlanIncludes);

    public async Task EnsureLoadedAsync()
    {
        if (loadedFor != tenant.OrganizationId)
        {
            await RefreshAsync();
        }
    }

    public async Task RefreshAsync()
    {
        var organizationId = tenant.OrganizationId;
        try
        {
            current = organizationId is null ? [] : await features.ListAsync();
        }
        catch (DomainException)
        {
            current = [];
        }

        loadedFor = organizationId;
        Changed?.Invoke();
    }
}

using MultiOrg.Domain.FeatureSwitches;
using MultiOrg.Domain.Permissions;
using MultiOrg.Web.Doors.Api;

namespace MultiOrg.Web.Features.FeatureSwitches;

public sealed record FeatureSwitchRequest(bool Enabled);

/// <summary>An organization's feature switches, with what its plan includes: everyone reads, OWNERs and ADMINs switch.</summary>
public static class FeaturesApi
{
    public static void MapFeaturesApi(this RouteGroupBuilder organization)
    {
        var features = organization.MapGroup("/features").WithTags("Features");
        features.MapGet("/", (Guid orgId, FeatureService service, CancellationToken ct) => service.ListAsync(ct))
            .RequirePermission(Permission.ViewOrganization)
            .WithSummary("Each feature: switched on, included in the plan, paused for an overdue statement, and why not available.");
        features.MapPut("/{feature}", (Guid orgId, Feature feature, FeatureSwitchRequest request, FeatureService service, CancellationToken ct) =>
                service.SetAsync(feature, request.Enabled, ct))
            .RequirePermission(Permission.EditOrganization)
            .WithSummary("Switches a feature on or off for this organization (ApiAccess, Assistant, CsvImport, ClientOrganizations).");
    }
}

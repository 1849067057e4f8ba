using Microsoft.AspNetCore.Http.HttpResults;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Web.Doors.Api;
using MultiOrg.Web.Features.Accounting;
using MultiOrg.Web.Features.ApiKeys;
using MultiOrg.Web.Features.Audit;
using MultiOrg.Web.Features.Billing;
using MultiOrg.Web.Features.Branding;
using MultiOrg.Web.Features.Clients;
using MultiOrg.Web.Features.FeatureSwitches;
using MultiOrg.Web.Features.Invitations;
using MultiOrg.Web.Features.Joining;
using MultiOrg.Web.Features.Members;
using MultiOrg.Web.Features.Notes;
using MultiOrg.Web.Features.Partner;
using MultiOrg.Web.Features.Security;
using MultiOrg.Web.Features.Teams;

namespace MultiOrg.Web.Features.Organizations;

public sealed record OrganizationNameRequest(string? Name);

/// <summary>The design document's Organizations and User Context endpoints.</summary>
public static class OrganizationsApi
{
    public static RouteGroupBuilder MapOrganizationsApi(this RouteGroupBuilder api)
    {
        var organizations = api.MapGroup("/organizations").WithTags("Organizations");
        organizations.MapPost("/", CreateAsync).WithSummary("Create an organization; the caller becomes its OWNER");
        organizations.MapGet("/", ListMineAsync).WithSummary("The organizations the caller belongs to (or reaches as partner staff)");

        // The one API group that takes an organization's key, and only that organization's (ApiKeyAuthenticationHandler).
        var one = organizations.MapGroup("/{orgId:guid}")
            .RequireAuthorization(ApiAuthorization.OrganizationPolicy)
            .WithMetadata(OrganizationEndpoint.Instance)
            .AddEndpointFilter(MultiOrg.Web.Doors.ApiDoor.OrganizationFilter);
        one.MapGet("/", GetAsync).RequirePermission(Permission.ViewOrganization).WithSummary("One organization with its counts");
        one.MapPatch("/", UpdateAsync).RequirePermission(Permission.EditOrganization).WithSummary("Rename the organization (OWNER, ADMIN)");
        one.MapDelete("/", DeleteAsync).RequirePermission(Permission.DeleteOrganization).WithSummary("Delete the organization (OWNER)");
        one.MapPost("/switch", SwitchAsync).AllowAnyMember().WithSummary("Make this the organization a new tab starts in");
        one.MapMembersApi();
        one.MapInvitationsApi();
        one.MapJoinPolicyApi();
        one.MapNotesApi();
        one.MapClientsApi();
        one.MapAccountingApi();
        one.MapPartnerApi();
        one.MapApiKeysApi();
        MultiOrg.Web.Features.Scim.ScimTokensApi.MapScimTokensApi(one);
        one.MapAuditApi();
        one.MapBillingApi();
        one.MapFeaturesApi();
        one.MapSecurityApi();
        one.MapTeamsApi();
        one.MapProfileApi();
        one.MapBrandingApi();
        one.MapDashboardApi();
        return one;
    }

    private static async Task<Created<OrganizationSummary>> CreateAsync(OrganizationNameRequest request, OrganizationService organizations, CancellationToken ct)
    {
        var created = await organizations.CreateAsync(request.Name, ct);
        return TypedResults.Created($"/api/organizations/{created.Id}", created);
    }

    private static async Task<Ok<IReadOnlyList<OrganizationSummary>>> ListMineAsync(OrganizationService organizations, CancellationToken ct) =>
        TypedResults.Ok(await organizations.ListMineAsync(ct));

    private static async Task<Ok<OrganizationDetails>> GetAsync(Guid orgId, OrganizationService organizations, CancellationToken ct) =>
        TypedResults.Ok(await organizations.GetCurrentAsync(ct));

    private static async Task<Ok<OrganizationDetails>> UpdateAsync(Guid orgId, OrganizationNameRequest request, OrganizationService organizations, CancellationToken ct) =>
        TypedResults.Ok(await organizations.UpdateAsync(request.Name, ct));

    private static async Task<NoContent> DeleteAsync(Guid orgId, OrganizationService organizations, CancellationToken ct)
    {
        await organizations.DeleteAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<OrganizationSummary>> SwitchAsync(Guid orgId, MultiOrg.Domain.Tenancy.OrganizationDoor door, CancellationToken ct) =>
        TypedResults.Ok(await door.SwitchAsync(orgId, ct));
}

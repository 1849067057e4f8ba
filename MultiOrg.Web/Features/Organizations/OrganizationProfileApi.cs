using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Web.Doors.Api;

namespace MultiOrg.Web.Features.Organizations;

/// <summary>An organization's profile and dashboard.</summary>
public static class OrganizationProfileApi
{
    public static void MapProfileApi(this RouteGroupBuilder organization)
    {
        var profile = organization.MapGroup("/profile").WithTags("Profile");
        profile.MapGet("/", (Guid orgId, OrganizationProfileService service, CancellationToken ct) => service.GetAsync(ct)).RequirePermission(Permission.ViewOrganization)
            .WithSummary("The organization's profile and whether the caller may edit it");
        profile.MapPut("/", (Guid orgId, OrganizationProfile request, OrganizationProfileService service, CancellationToken ct) => service.UpdateAsync(request, ct))
            .RequirePermission(Permission.EditOrganization)
            .WithSummary("Replace the profile (OWNER, ADMIN); an invalid field is a 400 naming it");
    }

    public static void MapDashboardApi(this RouteGroupBuilder organization)
    {
        var dashboard = organization.MapGroup("/dashboard").WithTags("Dashboard");
        dashboard.MapGet("/", (Guid orgId, OrganizationDashboardService service, CancellationToken ct) => service.GetAsync(ct)).RequirePermission(Permission.ViewMembers)
            .WithSummary("Members by role and team, activity, pending invitations and changes per day");
        dashboard.MapGet("/export/{section}", ExportAsync)
            .RequirePermission(Permission.ViewMembers)
            .WithSummary("One dashboard section as CSV: Summary, MembersByRole, MembersByTeam (every team) or Activity")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
    }

    private static async Task<FileContentHttpResult> ExportAsync(Guid orgId, string section, OrganizationDashboardService service, CancellationToken ct)
    {
        if (!Enum.TryParse<DashboardSection>(section, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
        {
            throw DomainException.Invalid("section", "Section must be Summary, MembersByRole, MembersByTeam or Activity.");
        }

        var csv = await service.ExportCsvAsync(parsed, ct);
        return TypedResults.File(Encoding.UTF8.GetBytes(csv), "text/csv", $"dashboard-{parsed.ToString().ToLowerInvariant()}-{orgId}.csv");
    }
}

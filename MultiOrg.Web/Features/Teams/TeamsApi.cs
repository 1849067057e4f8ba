using Microsoft.AspNetCore.Http.HttpResults;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Teams;
using MultiOrg.Web.Doors.Api;

namespace MultiOrg.Web.Features.Teams;

public sealed record DepartmentRequest(string? Name, Guid? ParentId);

public sealed record TeamRequest(string? Name, Guid? DepartmentId);

/// <remarks>Name renames; DepartmentId moves (with MoveToTop for "no department").</remarks>
public sealed record TeamChangeRequest(string? Name, Guid? DepartmentId, bool MoveToTop = false);

public sealed record TeamMemberRequest(string? UserId);

/// <summary>Departments, teams, team members, Team Leaders and Department Admins of one organization.</summary>
public static class TeamsApi
{
    public static void MapTeamsApi(this RouteGroupBuilder organization)
    {
        var departments = organization.MapGroup("/departments").WithTags("Teams");
        departments.MapPost("/", CreateDepartmentAsync).RequirePermission(Permission.ManageDepartments).WithSummary("Create a department");
        departments.MapPatch("/{departmentId:guid}", (Guid orgId, Guid departmentId, DepartmentRequest request, TeamService teams, CancellationToken ct) =>
            NoContentAfter(teams.RenameDepartmentAsync(departmentId, request.Name, ct))).RequirePermission(Permission.ManageDepartments)
            .WithSummary("Rename a department");
        departments.MapDelete("/{departmentId:guid}", (Guid orgId, Guid departmentId, TeamService teams, CancellationToken ct) =>
            NoContentAfter(teams.DeleteDepartmentAsync(departmentId, ct))).RequirePermission(Permission.ManageDepartments)
            .WithSummary("Delete a department");
        departments.MapPut("/{departmentId:guid}/admins/{userId}", (Guid orgId, Guid departmentId, string userId, TeamService teams, CancellationToken ct) =>
            NoContentAfter(teams.SetDepartmentAdminAsync(departmentId, userId, true, ct))).RequirePermission(Permission.ManageDepartments)
            .WithSummary("Make a member a Department Admin");
        departments.MapDelete("/{departmentId:guid}/admins/{userId}", (Guid orgId, Guid departmentId, string userId, TeamService teams, CancellationToken ct) =>
            NoContentAfter(teams.SetDepartmentAdminAsync(departmentId, userId, false, ct))).RequirePermission(Permission.ManageDepartments)
            .WithSummary("Remove a Department Admin");

        var teams = organization.MapGroup("/teams").WithTags("Teams");
        teams.MapGet("/", (Guid orgId, TeamService service, CancellationToken ct) => service.GetStructureAsync(ct))
            .RequirePermission(Permission.ViewOrganization)
            .WithSummary("Departments and teams, with what the caller may do to each");
        teams.MapPost("/", CreateTeamAsync).RequirePermission(Permission.ManageTeams).WithSummary("Create a team");
        teams.MapPatch("/{teamId:guid}", ChangeTeamAsync).RequirePermission(Permission.ManageTeams)
            .WithSummary("Rename a team or move it to another department");
        teams.MapDelete("/{teamId:guid}", (Guid orgId, Guid teamId, TeamService service, CancellationToken ct) =>
            NoContentAfter(service.DeleteTeamAsync(teamId, ct))).RequirePermission(Permission.ManageTeams)
            .WithSummary("Delete a team");
        teams.MapGet("/{teamId:guid}/members", (Guid orgId, Guid teamId, TeamService service, CancellationToken ct) => service.ListMembersAsync(teamId, ct)).RequirePermission(Permission.ViewMembers)
            .WithSummary("A team's members");
        teams.MapPost("/{teamId:guid}/members", (Guid orgId, Guid teamId, TeamMemberRequest request, TeamService service, CancellationToken ct) =>
            NoContentAfter(service.AddMemberAsync(teamId, request.UserId ?? "", ct))).RequirePermission(Permission.ManageTeamMembers)
            .WithSummary("Add a member to a team");
        teams.MapDelete("/{teamId:guid}/members/{userId}", (Guid orgId, Guid teamId, string userId, TeamService service, CancellationToken ct) =>
            NoContentAfter(service.RemoveMemberAsync(teamId, userId, ct))).RequirePermission(Permission.ManageTeamMembers)
            .WithSummary("Remove a member from a team");
        teams.MapPut("/{teamId:guid}/leaders/{userId}", (Guid orgId, Guid teamId, string userId, TeamService service, CancellationToken ct) =>
            NoContentAfter(service.SetLeaderAsync(teamId, userId, true, ct)))
            .RequirePermission(Permission.NameTeamLeaders)
            .WithSummary("Make a member the team's leader (OWNER, ADMIN, or an admin of the team's department)");
        teams.MapDelete("/{teamId:guid}/leaders/{userId}", (Guid orgId, Guid teamId, string userId, TeamService service, CancellationToken ct) =>
            NoContentAfter(service.SetLeaderAsync(teamId, userId, false, ct))).RequirePermission(Permission.NameTeamLeaders)
            .WithSummary("Remove a team's leader");
    }

    private static async Task<Created<DepartmentView>> CreateDepartmentAsync(Guid orgId, DepartmentRequest request, TeamService teams, CancellationToken ct)
    {
        var created = await teams.CreateDepartmentAsync(request.Name, request.ParentId, ct);
        return TypedResults.Created($"/api/organizations/{orgId}/departments/{created.Id}", created);
    }

    private static async Task<Created<TeamView>> CreateTeamAsync(Guid orgId, TeamRequest request, TeamService teams, CancellationToken ct)
    {
        var created = await teams.CreateTeamAsync(request.Name, request.DepartmentId, ct);
        return TypedResults.Created($"/api/organizations/{orgId}/teams/{created.Id}", created);
    }

    private static async Task<NoContent> ChangeTeamAsync(Guid orgId, Guid teamId, TeamChangeRequest request, TeamService teams, CancellationToken ct)
    {
        if (request.Name is not null)
        {
            await teams.RenameTeamAsync(teamId, request.Name, ct);
        }

        if (request.DepartmentId is not null || request.MoveToTop)
        {
            await teams.MoveTeamAsync(teamId, request.MoveToTop ? null : request.DepartmentId, ct);
        }

        return TypedResults.NoContent();
    }

    private static async Task<NoContent> NoContentAfter(Task action)
    {
        await action;
        return TypedResults.NoContent();
    }
}

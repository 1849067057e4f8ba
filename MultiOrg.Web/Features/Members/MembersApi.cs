using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Tenancy;
using MultiOrg.Web.Doors.Api;

namespace MultiOrg.Web.Features.Members;

public sealed record AddMemberRequest(string? Email, OrganizationRole? Role);

public sealed record ChangeRoleRequest(OrganizationRole? Role);

public sealed record BulkRoleRequest(IReadOnlyList<string>? UserIds, OrganizationRole? Role);

public sealed record BulkRemoveRequest(IReadOnlyList<string>? UserIds);

/// <summary>The design document's Members endpoints, plus leave. Runs inside an entered organization.</summary>
public static class MembersApi
{
    public static void MapMembersApi(this RouteGroupBuilder organization)
    {
        var members = organization.MapGroup("/members").WithTags("Members");
        members.MapGet("/", ListAsync).RequirePermission(Permission.ViewMembers)
            .WithSummary("Members, searched, sorted and paged, optionally of one team or department");
        members.MapPost("/", AddAsync).RequirePermission(Permission.InviteMembers).WithSummary("Add a person with a confirmed email as a member");
        members.MapPatch("/{userId}", ChangeRoleAsync).RequirePermission(Permission.ChangeMemberRoles).WithSummary("Change a member's role (OWNER)");
        members.MapDelete("/{userId}", RemoveAsync)
            .RequirePermission(Permission.RemoveMembers)
            .WithDescription("ownedItems=Revoke (default) revokes the API keys they created and the invitations they sent; " +
                "ownedItems=HandOver&handOverTo={userId} hands them to that member (a key keeps at most the new holder's role). Same transaction as the removal.")
            .WithSummary("Remove a member, revoking or handing over their API keys and invitations");
        members.MapGet("/{userId}/owned-items", (Guid orgId, string userId, MemberService service, CancellationToken ct) => service.GetOwnedItemsAsync(userId, ct)).RequirePermission(Permission.RemoveMembers)
            .WithSummary("The API keys and invitations a member would leave behind");
        members.MapPost("/bulk-role", ChangeRolesAsync)
            .RequirePermission(Permission.ChangeMemberRoles)
            .WithSummary("Change the role of several members at once (OWNER)")
            .WithDescription("One outcome per distinct user id: Changed, Unchanged, NotFound (not a member of this organization; never touched) " +
                "or Refused. 409 and nothing changed when the batch would leave the organization without an OWNER.");
        members.MapPost("/bulk-remove", RemoveManyAsync)
            .RequirePermission(Permission.RemoveMembers)
            .WithSummary("Remove several members at once (OWNER, ADMIN)")
            .WithDescription("One outcome per distinct user id: Removed, NotFound or Refused (an ADMIN never removes an OWNER; " +
                "nobody removes themself here, use leave). 409 and nothing removed when no OWNER would remain.");
        members.MapGet("/export", ExportAsync)
            .RequirePermission(Permission.ViewMembers)
            .WithSummary("The member list as CSV (every member)")
            .WithDescription("Every page of the list with the same search, role and sort as GET /members, named <organization>-members-<yyyy-MM-dd>.csv; cells starting with =, +, -, @, tab or CR are escaped.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        organization.MapDelete("/leave", LeaveAsync).WithTags("Members").RequirePermission(Permission.LeaveOrganization)
            .WithSummary("Leave the organization (never the last owner)");
    }

    private static async Task<Ok<PagedResult<MemberView>>> ListAsync(
        Guid orgId, MemberService members, CancellationToken ct,
        string? search = null, MemberSort sort = MemberSort.Email, bool descending = false, int page = 1, int pageSize = 25,
        Guid? teamId = null, Guid? departmentId = null, string? role = null) =>
        TypedResults.Ok(await members.ListAsync(new MemberQuery(search, sort, descending, page, pageSize, teamId, departmentId, RoleFilter(role)), ct));

    /// <summary>OWNER, ADMIN or MEMBER (any case), as roles travel everywhere else in the API; absent lists every role.</summary>
    private static OrganizationRole? RoleFilter(string? role) =>
        string.IsNullOrWhiteSpace(role) ? null
        : Domain.Invitations.InvitationService.ParseRole(role) ?? throw DomainException.Invalid("role", "Role must be OWNER, ADMIN or MEMBER.");

    private static async Task<Created<MemberView>> AddAsync(Guid orgId, AddMemberRequest request, MemberService members, CancellationToken ct)
    {
        var added = await members.AddByEmailAsync(request.Email, request.Role ?? OrganizationRole.Member, ct);
        return TypedResults.Created($"/api/organizations/{orgId}/members/{added.UserId}", added);
    }

    private static async Task<Ok<MemberView>> ChangeRoleAsync(Guid orgId, string userId, ChangeRoleRequest request, MemberService members, CancellationToken ct)
    {
        var role = request.Role ?? throw DomainException.Invalid("role", "Role is required: OWNER, ADMIN or MEMBER.");
        return TypedResults.Ok(await members.ChangeRoleAsync(userId, role, ct));
    }

    /// <summary>ownedItems=Revoke (default) or HandOver with handOverTo: what happens to the member's API keys and invitations.</summary>
    private static async Task<NoContent> RemoveAsync(
        Guid orgId, string userId, MemberService members, CancellationToken ct, OwnedItemsAction ownedItems = OwnedItemsAction.Revoke, string? handOverTo = null)
    {
        await members.RemoveAsync(userId, new OwnedItemsChoice(ownedItems, handOverTo), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<BulkMemberResult>> ChangeRolesAsync(Guid orgId, BulkRoleRequest request, MemberService members, CancellationToken ct)
    {
        var role = request.Role ?? throw DomainException.Invalid("role", "Role is required: OWNER, ADMIN or MEMBER.");
        return TypedResults.Ok(await members.ChangeRolesAsync(request.UserIds, role, ct));
    }

    private static async Task<Ok<BulkMemberResult>> RemoveManyAsync(Guid orgId, BulkRemoveRequest request, MemberService members, CancellationToken ct) =>
        TypedResults.Ok(await members.RemoveManyAsync(request.UserIds, ct));

    private static async Task<FileContentHttpResult> ExportAsync(
        Guid orgId, MemberService members, TenantContext tenant, TimeProvider time, CancellationToken ct,
        string? search = null, MemberSort sort = MemberSort.Email, bool descending = false, string? role = null)
    {
        var csv = await members.ExportCsvAsync(new MemberQuery(search, sort, descending, Role: RoleFilter(role)), ct);
        return TypedResults.File(Encoding.UTF8.GetBytes(csv), "text/csv", MemberExportFile.Name(tenant.OrganizationName, time.GetUtcNow().UtcDateTime));
    }

    private static async Task<NoContent> LeaveAsync(Guid orgId, MemberService members, CancellationToken ct)
    {
        await members.LeaveAsync(ct);
        return TypedResults.NoContent();
    }
}

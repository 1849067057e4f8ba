using Microsoft.AspNetCore.Http.HttpResults;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Organizations;

namespace MultiOrg.Web.Api;

public sealed record AddMemberRequest(string? Email, OrganizationRole? Role);

public sealed record ChangeRoleRequest(OrganizationRole? Role);

/// <summary>The design document's Members endpoints, plus leave. Runs inside an entered organization.</summary>
public static class MembersApi
{
    public static void MapMembersApi(this RouteGroupBuilder organization)
    {
        var members = organization.MapGroup("/members").WithTags("Members");
        members.MapGet("/", ListAsync);
        members.MapPost("/", AddAsync);
        members.MapPatch("/{userId}", ChangeRoleAsync);
        members.MapDelete("/{userId}", RemoveAsync);
        organization.MapDelete("/leave", LeaveAsync).WithTags("Members");
    }

    private static async Task<Ok<PagedResult<MemberView>>> ListAsync(
        Guid orgId, MemberService members, CancellationToken ct,
        string? search = null, MemberSort sort = MemberSort.Email, bool descending = false, int page = 1, int pageSize = 25) =>
        TypedResults.Ok(await members.ListAsync(new MemberQuery(search, sort, descending, page, pageSize), ct));

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

    private static async Task<NoContent> RemoveAsync(Guid orgId, string userId, MemberService members, CancellationToken ct)
    {
        await members.RemoveAsync(userId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> LeaveAsync(Guid orgId, MemberService members, CancellationToken ct)
    {
        await members.LeaveAsync(ct);
        return TypedResults.NoContent();
    }
}

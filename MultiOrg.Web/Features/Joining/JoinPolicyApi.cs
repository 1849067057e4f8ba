using Microsoft.AspNetCore.Http.HttpResults;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Joining;
using MultiOrg.Domain.Permissions;
using MultiOrg.Web.Doors.Api;

namespace MultiOrg.Web.Features.Joining;

/// <remarks>Either or both: the membership mode and the visibility (Private, Public, Hidden).</remarks>
public sealed record JoinPolicyRequest(MembershipMode? Mode, MultiOrg.Domain.Organizations.OrganizationVisibility? Visibility = null);

public sealed record VerifiedDomainRequest(string? Domain);

/// <summary>Who may join by themselves (membership mode, verified domains), and the join requests to approve or reject.</summary>
public static class JoinPolicyApi
{
    public static void MapJoinPolicyApi(this RouteGroupBuilder organization)
    {
        var policy = organization.MapGroup("/join-policy").WithTags("Join policy");
        policy.MapGet("/", (Guid orgId, JoinPolicyService service, CancellationToken ct) => service.GetAsync(ct)).RequirePermission(Permission.ViewOrganization)
            .WithSummary("The join policy and verified domains");
        policy.MapPut("/", SetAsync).RequirePermission(Permission.EditOrganization)
            .WithSummary("Set the join policy: invite only, open to verified domains, or approval required");
        policy.MapPost("/domains", AddDomainAsync).RequirePermission(Permission.EditOrganization)
            .WithSummary("Verify a domain (the caller has a confirmed address there)");
        policy.MapDelete("/domains/{domainId:guid}", RemoveDomainAsync).RequirePermission(Permission.EditOrganization)
            .WithSummary("Remove a verified domain");

        // Looks up the domain's TXT record now: 200 with the outcome (Verified, StillVerified, RecordMissing, LookupFailed)
        // and a message; 409 when another organization holds the domain's DNS verification.
        policy.MapPost("/domains/{domainId:guid}/check", (Guid orgId, Guid domainId, DomainVerificationService service, CancellationToken ct) =>
            service.CheckAsync(domainId, ct)).RequirePermission(Permission.EditOrganization)
            .WithSummary("Check the domain's DNS TXT record now (proves it for single sign-on)");

        var requests = organization.MapGroup("/join-requests").WithTags("Join policy");
        requests.MapGet("/", (Guid orgId, JoinPolicyService service, CancellationToken ct) => service.ListRequestsAsync(ct)).RequirePermission(Permission.InviteMembers)
            .WithSummary("Pending join requests");
        requests.MapPost("/{requestId:guid}/approve", ApproveAsync).RequirePermission(Permission.InviteMembers)
            .WithSummary("Approve a join request: the person joins as MEMBER");
        requests.MapPost("/{requestId:guid}/reject", RejectAsync).RequirePermission(Permission.InviteMembers).WithSummary("Reject a join request");
    }

    private static async Task<JoinPolicyView> SetAsync(Guid orgId, JoinPolicyRequest request, JoinPolicyService service, CancellationToken ct)
    {
        if (request.Mode is null && request.Visibility is null)
        {
            throw DomainException.Invalid("mode", "Mode is required: InviteOnly, ApprovalRequired or Open.");
        }

        var view = request.Mode is { } mode ? await service.SetModeAsync(mode, ct) : null;
        return request.Visibility is { } visibility ? await service.SetVisibilityAsync(visibility, ct) : view!;
    }

    private static async Task<Created<VerifiedDomainView>> AddDomainAsync(Guid orgId, VerifiedDomainRequest request, JoinPolicyService service, CancellationToken ct)
    {
        var added = await service.AddDomainAsync(request.Domain, ct);
        return TypedResults.Created($"/api/organizations/{orgId}/join-policy/domains/{added.Id}", added);
    }

    private static async Task<NoContent> RemoveDomainAsync(Guid orgId, Guid domainId, JoinPolicyService service, CancellationToken ct)
    {
        await service.RemoveDomainAsync(domainId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> ApproveAsync(Guid orgId, Guid requestId, JoinPolicyService service, CancellationToken ct)
    {
        await service.ApproveAsync(requestId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> RejectAsync(Guid orgId, Guid requestId, JoinPolicyService service, CancellationToken ct)
    {
        await service.RejectAsync(requestId, ct);
        return TypedResults.NoContent();
    }
}

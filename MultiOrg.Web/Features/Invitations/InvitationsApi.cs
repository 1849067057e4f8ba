using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Invitations;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Web.Doors.Api;

namespace MultiOrg.Web.Features.Invitations;

public sealed record CreateInvitationsRequest(IReadOnlyList<string>? Emails, OrganizationRole? Role);

/// <summary>
/// An organization's invitations (OWNER, ADMIN): invite many addresses, import a CSV (preview, then apply), list the
/// pending ones, resend, revoke. And the invitee's own: the open invitations to my confirmed email, accept, decline.
/// </summary>
public static class InvitationsApi
{
    /// <summary>The largest CSV accepted, through the API and the import dialog alike.</summary>
    public const long MaxCsvBytes = 10 * 1024 * 1024;

    public static void MapInvitationsApi(this RouteGroupBuilder organization)
    {
        var invitations = organization.MapGroup("/invitations").WithTags("Invitations");
        invitations.MapGet("/", (Guid orgId, InvitationService service, CancellationToken ct) => service.ListPendingAsync(ct)).RequirePermission(Permission.InviteMembers)
            .WithSummary("Pending invitations");
        invitations.MapPost("/", CreateAsync).RequirePermission(Permission.InviteMembers)
            .WithSummary("Invite people by email (only OWNERs invite as OWNER or ADMIN)");
        invitations.MapPost("/import", ImportAsync).Accepts<string>("text/csv").RequirePermission(Permission.InviteMembers)
            .WithSummary("Invite the rows of a CSV file (email, role, name); preview or send");
        invitations.MapPost("/{invitationId:guid}/resend", (Guid orgId, Guid invitationId, InvitationService service, CancellationToken ct) =>
            service.ResendAsync(invitationId, ct)).RequirePermission(Permission.InviteMembers)
            .WithSummary("Send an invitation's mail again with a new link");
        invitations.MapDelete("/{invitationId:guid}", RevokeAsync).RequirePermission(Permission.InviteMembers)
            .WithSummary("Revoke a pending invitation");
    }

    public static void MapMyInvitationsApi(this RouteGroupBuilder api)
    {
        var mine = api.MapGroup("/invitations").WithTags("Invitations");
        mine.MapGet("/", (InvitationInbox inbox, CancellationToken ct) => inbox.ListMineAsync(ct))
            .WithSummary("Invitations addressed to the caller's confirmed email");
        mine.MapPost("/{invitationId:guid}/accept", (Guid invitationId, InvitationInbox inbox, CancellationToken ct) => inbox.AcceptAsync(invitationId, ct))
            .WithSummary("Accept an invitation addressed to the caller");
        mine.MapPost("/{invitationId:guid}/decline", (Guid invitationId, InvitationInbox inbox, CancellationToken ct) => inbox.DeclineAsync(invitationId, ct))
            .WithSummary("Decline an invitation addressed to the caller");
    }

    private static async Task<Ok<InviteResult>> CreateAsync(Guid orgId, CreateInvitationsRequest request, InvitationService service, CancellationToken ct)
    {
        var role = (request.Role ?? OrganizationRole.Member).ToApiName();
        var rows = (request.Emails ?? []).Select((email, i) => new InviteRow(i + 1, email, role)).ToList();
        return TypedResults.Ok(await service.InviteAsync(rows, "api", ct));
    }

    /// <summary>The CSV is the request body; <c>apply=false</c> (the default) only previews what would happen.</summary>
    private static async Task<Ok<InviteResult>> ImportAsync(
        Guid orgId, HttpRequest request, InvitationService service, IOptions<InvitationOptions> options, CancellationToken ct, bool apply = false)
    {
        // CsvHelper reads synchronously; the body is read asynchronously first, within the size limit.
        if (request.ContentLength > MaxCsvBytes)
        {
            throw DomainException.Invalid("file", $"The file is larger than {MaxCsvBytes / 1024 / 1024} MB.");
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ct);
        if (body.Length > MaxCsvBytes)
        {
            throw DomainException.Invalid("file", $"The file is larger than {MaxCsvBytes / 1024 / 1024} MB.");
        }

        body.Position = 0;
        using var reader = new StreamReader(body);
        var rows = InvitationCsv.Read(reader, options.Value.MaxRows);
        return TypedResults.Ok(apply ? await service.InviteAsync(rows, InvitationService.CsvSource, ct) : await service.PreviewAsync(rows, InvitationService.CsvSource, ct));
    }

    private static async Task<NoContent> RevokeAsync(Guid orgId, Guid invitationId, InvitationService service, CancellationToken ct)
    {
        await service.RevokeAsync(invitationId, ct);
        return TypedResults.NoContent();
    }
}

using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using MultiOrg.Domain.Audit;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Permissions;
using MultiOrg.Web.Doors.Api;

namespace MultiOrg.Web.Features.Audit;

/// <summary>The organization's audit log for its owners and admins.</summary>
public static class AuditApi
{
    public static void MapAuditApi(this RouteGroupBuilder organization)
    {
        var audit = organization.MapGroup("/audit").WithTags("Audit");
        audit.MapGet("/", ListAsync).RequirePermission(Permission.ViewAuditLog)
            .WithSummary("The audit log, newest first, filtered and paged (OWNER, ADMIN)");
        audit.MapGet("/verify", (Guid orgId, AuditService service, CancellationToken ct) => service.VerifyAsync(ct)).RequirePermission(Permission.ViewAuditLog)
            .WithSummary("Check the audit log's hash chain");
        audit.MapGet("/export", ExportAsync).RequirePermission(Permission.ViewAuditLog).WithSummary("The filtered audit log as CSV");
    }

    /// <summary>Deleted organizations' audit trails, kept for the minimum retention: support staff and system administrators only.</summary>
    public static void MapSupportAuditApi(this RouteGroupBuilder api)
    {
        var support = api.MapGroup("/support/deleted-organizations").WithTags("Support");
        support.MapGet("/", (AuditArchiveService archive, CancellationToken ct) => archive.ListDeletedAsync(ct))
            .WithSummary("Deleted organizations whose audit trail is still kept.");
        support.MapGet("/{orgId:guid}/audit", (Guid orgId, AuditArchiveService archive, CancellationToken ct, int page = 1, int pageSize = 50) =>
                archive.ListEntriesAsync(orgId, page, pageSize, ct))
            .WithSummary("A deleted organization's audit entries, newest first.");
        support.MapGet("/{orgId:guid}/audit/verify", (Guid orgId, AuditArchiveService archive, CancellationToken ct) => archive.VerifyAsync(orgId, ct))
            .WithSummary("Verifies a deleted organization's audit chain from its anchor to the deletion.");
    }

    private static async Task<Ok<PagedResult<AuditView>>> ListAsync(
        Guid orgId, AuditService service, CancellationToken ct,
        string? action = null, string? actor = null, DateTime? from = null, DateTime? to = null, int page = 1, int pageSize = 50) =>
        TypedResults.Ok(await service.ListAsync(new AuditQuery(action, actor, from, to, page, pageSize), ct));

    private static async Task<FileContentHttpResult> ExportAsync(
        Guid orgId, AuditService service, CancellationToken ct, string? action = null, string? actor = null, DateTime? from = null, DateTime? to = null)
    {
        var csv = await service.ExportCsvAsync(new AuditQuery(action, actor, from, to), ct);
        return TypedResults.File(Encoding.UTF8.GetBytes(csv), "text/csv", $"audit-{orgId}.csv");
    }
}

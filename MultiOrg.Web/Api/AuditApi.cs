using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using MultiOrg.Domain.Audit;
using MultiOrg.Domain.Members;
using MultiOrg.Domain.Permissions;

namespace MultiOrg.Web.Api;

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

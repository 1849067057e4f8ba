using MultiOrg.Domain.Joining;

namespace MultiOrg.Web.Features.Joining;

/// <summary>
/// The directory of public organizations, for any signed-in caller. A private or hidden organization's id answers
/// exactly as an id that does not exist (404 "Organization not found.").
/// </summary>
public static class DirectoryApi
{
    public static void MapDirectoryApi(this RouteGroupBuilder api)
    {
        var directory = api.MapGroup("/directory").WithTags("Directory");
        directory.MapGet("/", (DirectoryService service, CancellationToken ct, string? search = null, int page = 1, int pageSize = 20) =>
            service.SearchAsync(search, page, pageSize, ct))
            .WithSummary("Search the directory of public organizations");
        directory.MapGet("/{orgId:guid}", (Guid orgId, DirectoryService service, CancellationToken ct) => service.GetAsync(orgId, ct))
            .WithSummary("One public organization of the directory");
        directory.MapPost("/{orgId:guid}/join", (Guid orgId, DirectoryService service, CancellationToken ct) => service.JoinAsync(orgId, ct))
            .WithSummary("Join (open mode) or ask to join (approval required) a public organization");
    }
}

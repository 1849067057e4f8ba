using Microsoft.AspNetCore.Http.HttpResults;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Scim;
using MultiOrg.Web.Api;

namespace MultiOrg.Web.Scim;

public sealed record CreateScimTokenRequest(string? Name);

/// <summary>An organization's SCIM tokens, for its owners (as on the Security page); never through an API key.</summary>
public static class ScimTokensApi
{
    public static void MapScimTokensApi(this RouteGroupBuilder organization)
    {
        var tokens = organization.MapGroup("/scim-tokens").WithTags("Directory sync");
        tokens.MapGet("/", (Guid orgId, ScimTokenService service, CancellationToken ct) => service.ListAsync(ct)).RequirePermission(Permission.ManageDirectorySync);
        tokens.MapPost("/", CreateAsync).RequirePermission(Permission.ManageDirectorySync);
        tokens.MapDelete("/{tokenId:guid}", RevokeAsync).RequirePermission(Permission.ManageDirectorySync);
    }

    private static async Task<Created<CreatedScimToken>> CreateAsync(Guid orgId, CreateScimTokenRequest request, ScimTokenService service, CancellationToken ct)
    {
        var created = await service.CreateAsync(request.Name, ct);
        return TypedResults.Created($"/api/organizations/{orgId}/scim-tokens/{created.Token.Id}", created);
    }

    private static async Task<NoContent> RevokeAsync(Guid orgId, Guid tokenId, ScimTokenService service, CancellationToken ct)
    {
        await service.RevokeAsync(tokenId, ct);
        return TypedResults.NoContent();
    }
}

using Microsoft.AspNetCore.Http.HttpResults;
using MultiOrg.Domain.Permissions;
using MultiOrg.Domain.Scim;
using MultiOrg.Web.Doors.Api;

namespace MultiOrg.Web.Features.Scim;

public sealed record CreateScimTokenRequest(string? Name);

/// <summary>An organization's SCIM tokens, for its owners (as on the Security page); never through an API key.</summary>
public static class ScimTokensApi
{
    public static void MapScimTokensApi(this RouteGroupBuilder organization)
    {
        var tokens = organization.MapGroup("/scim-tokens").WithTags("Directory sync");
        tokens.MapGet("/", (Guid orgId, ScimTokenService service, CancellationToken ct) => service.ListAsync(ct)).RequirePermission(Permission.ManageDirectorySync)
            .WithSummary("List the organization's SCIM tokens (never their secrets)");
        tokens.MapPost("/", CreateAsync).RequirePermission(Permission.ManageDirectorySync)
            .WithSummary("Create a SCIM token for the organization's identity provider; its secret is returned once");
        // The route value is "id": a parameter named like a token reads, to a linter and to people, as a secret in the URL.
        tokens.MapDelete("/{id:guid}", RevokeAsync).RequirePermission(Permission.ManageDirectorySync)
            .WithSummary("Revoke a SCIM token: directory sync through it stops at once");
    }

    private static async Task<Created<CreatedScimToken>> CreateAsync(Guid orgId, CreateScimTokenRequest request, ScimTokenService service, CancellationToken ct)
    {
        var created = await service.CreateAsync(request.Name, ct);
        return TypedResults.Created($"/api/organizations/{orgId}/scim-tokens/{created.Token.Id}", created);
    }

    private static async Task<NoContent> RevokeAsync(Guid orgId, Guid id, ScimTokenService service, CancellationToken ct)
    {
        await service.RevokeAsync(id, ct);
        return TypedResults.NoContent();
    }
}

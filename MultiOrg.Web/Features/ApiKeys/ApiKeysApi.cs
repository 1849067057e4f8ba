using Microsoft.AspNetCore.Http.HttpResults;
using MultiOrg.Domain.ApiKeys;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;
using MultiOrg.Web.Doors.Api;

namespace MultiOrg.Web.Features.ApiKeys;

public sealed record CreateApiKeyRequest(string? Name, OrganizationRole? Role, DateTime? ExpiresAt);

/// <summary>An organization's API keys. A partner generates a client's key through the client's own route.</summary>
public static class ApiKeysApi
{
    public static void MapApiKeysApi(this RouteGroupBuilder organization)
    {
        var keys = organization.MapGroup("/api-keys").WithTags("API keys");
        keys.MapGet("/", (Guid orgId, ApiKeyService service, CancellationToken ct) => service.ListAsync(ct)).RequirePermission(Permission.ManageApiKeys)
            .WithSummary("List the organization's API keys (never their secrets)");
        keys.MapPost("/", CreateAsync).RequirePermission(Permission.ManageApiKeys)
            .WithSummary("Create an API key with a role of at most the caller's; its secret is returned once");
        keys.MapDelete("/{keyId:guid}", RevokeAsync).RequirePermission(Permission.ManageApiKeys)
            .WithSummary("Revoke an API key (by a role at least the key's)");
    }

    private static async Task<Created<CreatedApiKey>> CreateAsync(Guid orgId, CreateApiKeyRequest request, ApiKeyService service, CancellationToken ct)
    {
        var created = await service.CreateAsync(request.Name, request.Role ?? OrganizationRole.Member, request.ExpiresAt, ct);
        return TypedResults.Created($"/api/organizations/{orgId}/api-keys/{created.Key.Id}", created);
    }

    private static async Task<NoContent> RevokeAsync(Guid orgId, Guid keyId, ApiKeyService service, CancellationToken ct)
    {
        await service.RevokeAsync(keyId, ct);
        return TypedResults.NoContent();
    }
}

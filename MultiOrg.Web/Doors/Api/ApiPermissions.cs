using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Permissions;

namespace MultiOrg.Web.Doors.Api;

/// <summary>
/// The permission an organization endpoint needs, declared on the endpoint and checked before its parameters are
/// bound (decision record 0017). Null: every member of the organization may call it.
/// </summary>
public sealed record OrganizationPermission(Permission? Permission)
{
    public static OrganizationPermission AnyMember { get; } = new((Permission?)null);
}

/// <summary>Marks the organization API group: each endpoint in it must declare an <see cref="OrganizationPermission"/>.</summary>
public sealed class OrganizationEndpoint
{
    public static OrganizationEndpoint Instance { get; } = new();
}

/// <summary>
/// Permission before validation: a caller without the endpoint's permission gets 403 whatever the body and the ids.
/// Minimal APIs bind a typed body before endpoint filters run, so the check is a middleware after authorization, which
/// reads the endpoint's metadata and asks the one permission table through <see cref="Access"/>.
/// </summary>
public static class ApiPermissions
{
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, Permission permission)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new OrganizationPermission(permission));

    public static TBuilder AllowAnyMember<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(OrganizationPermission.AnyMember);

    /// <summary>After UseAuthorization: the endpoint is chosen and the caller authenticated, the body not yet read.</summary>
    public static IApplicationBuilder UseOrganizationPermissions(this IApplicationBuilder app) => app.Use(CheckAsync);

    private static async Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        var endpoint = context.GetEndpoint();
        var declared = endpoint?.Metadata.GetMetadata<OrganizationPermission>();
        if (declared is null)
        {
            // Fails closed: an organization endpoint nobody declared a permission for is a bug, not an open door.
            if (endpoint?.Metadata.GetMetadata<OrganizationEndpoint>() is not null)
            {
                throw new InvalidOperationException($"{endpoint.DisplayName} declares no permission: add RequirePermission or AllowAnyMember.");
            }

            await next(context);
            return;
        }

        try
        {
            ApiDoor.Admit(context);
            await ApiDoor.EnterRouteOrganizationAsync(context);
            if (declared.Permission is { } permission)
            {
                await context.RequestServices.GetRequiredService<OrganizationService>().RequirePermissionAsync(permission, context.RequestAborted);
            }
        }
        catch (DomainException error)
        {
            await ApiErrors.ToProblem(error).ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}

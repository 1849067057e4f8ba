using Microsoft.AspNetCore.Http.HttpResults;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Users;

namespace MultiOrg.Web.Api;

/// <summary>Identity's own register/login/refresh endpoints under /api/auth, and "who am I" with my organizations.</summary>
public static class AuthApi
{
    public static void MapAuthApi(this IEndpointRouteBuilder endpoints)
    {
        var auth = endpoints.MapGroup("/api/auth").WithTags("Auth");
        auth.MapIdentityApi<AppUser>();
        auth.MapGet("/me", MeAsync).RequireAuthorization().AddEndpointFilter(ApiErrors.TenantUserFilter);
    }

    private static async Task<Ok<UserContext>> MeAsync(OrganizationService organizations, CancellationToken ct) =>
        TypedResults.Ok(await organizations.GetUserContextAsync(ct));
}

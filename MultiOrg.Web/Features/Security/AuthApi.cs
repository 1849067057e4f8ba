using Microsoft.AspNetCore.Http.HttpResults;
using MultiOrg.Domain.Organizations;
using MultiOrg.Domain.Users;
using MultiOrg.Web.Hosting;
using MultiOrg.Web.Doors.Api;

namespace MultiOrg.Web.Features.Security;

/// <summary>Identity's own register/login/refresh endpoints under /api/auth, and "who am I" with my organizations.</summary>
public static class AuthApi
{
    public static void MapAuthApi(this IEndpointRouteBuilder endpoints)
    {
        var auth = endpoints.MapGroup("/api/auth").WithTags("Auth");
        auth.MapIdentityApi<AppUser>().AddEndpointFilter(RefusePasswordWhereSsoRequired).AddEndpointFilter(RefreshOnce).RequireIdentityLimits();
        auth.MapGet("/me", MeAsync).RequireAuthorization(ApiAuthorization.Policy).AddEndpointFilter(MultiOrg.Web.Doors.ApiDoor.CallerFilter)
            .WithSummary("Who the caller is, their organizations and the one a new tab starts in");
    }

    /// <summary>
    /// A token login of a member at a domain whose organization requires single sign-on is refused with the reason (the sign-in
    /// manager would refuse it too, as a bare "NotAllowed").
    /// </summary>
    private static async ValueTask<object?> RefusePasswordWhereSsoRequired(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var services = context.HttpContext.RequestServices;
        if (context.Arguments.OfType<Microsoft.AspNetCore.Identity.Data.LoginRequest>().FirstOrDefault() is { } login
            && await services.GetRequiredService<MultiOrg.Domain.SingleSignOn.SsoLookup>().RequiredForAsync(
                await services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>().FindByEmailAsync(login.Email)) is { } route)
        {
            return TypedResults.Problem(
                $"Password sign-in is turned off for {route.Domain} addresses: your organization requires single sign-on. Sign in on the web page with “Continue with single sign-on”.",
                statusCode: StatusCodes.Status403Forbidden,
                title: "Single sign-on required");
        }

        return await next(context);
    }

    /// <summary>Identity's <c>/refresh</c> accepts a refresh token any number of times; this one takes it once.</summary>
    private static async ValueTask<object?> RefreshOnce(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.Arguments.OfType<Microsoft.AspNetCore.Identity.Data.RefreshRequest>().FirstOrDefault() is { } refresh
            ? await MultiOrg.Web.Features.Security.AccessTokens.RefreshAsync(context.HttpContext, refresh.RefreshToken)
            : await next(context);

    private static async Task<Ok<MeResponse>> MeAsync(OrganizationService organizations, CancellationToken ct)
    {
        var context = await organizations.GetUserContextAsync(ct);
        return TypedResults.Ok(new MeResponse(
            context.User,
            [.. context.Organizations.Select(MeOrganization.From)],
            context.CurrentOrganization is { } current ? MeOrganization.From(current) : null));
    }
}

/// <summary>The design document's exact shape of <c>GET /api/auth/me</c>.</summary>
public sealed record MeResponse(UserView User, IReadOnlyList<MeOrganization> Organizations, MeOrganization? CurrentOrganization);

public sealed record MeOrganization(Guid Id, string Name, OrganizationRole Role)
{
    public static MeOrganization From(OrganizationSummary summary) => new(summary.Id, summary.Name, summary.Role);
}

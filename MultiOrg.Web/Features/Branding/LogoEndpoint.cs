using MultiOrg.Domain.Branding;
using MultiOrg.Domain.Errors;
using MultiOrg.Domain.Tenancy;

namespace MultiOrg.Web.Features.Branding;

/// <summary>
/// Serves an organization's logo to its signed-in members (the app bar's &lt;img&gt;): a plain GET with the sign-in
/// cookie, so the image never travels over the circuit. Anyone else gets the same 404 as for a missing logo.
/// </summary>
public static class LogoEndpoint
{
    public static void MapOrganizationLogo(this IEndpointRouteBuilder app) =>
        app.MapGet("/organizations/{orgId:guid}/logo", GetAsync).RequireAuthorization().ExcludeFromDescription();

    private static async Task<IResult> GetAsync(
        Guid orgId, HttpContext http, OrganizationDoor door, BrandingService branding, CancellationToken ct)
    {
        try
        {
            // The <img> of a page: the person comes in through the page door, from the address the request came from.
            await door.EnterAsync(Doors.RequestCaller.PersonOf(http.User), Door.Page, orgId, Doors.RequestCaller.AddressOf(http), ct: ct);
            if (await branding.GetLogoAsync(ct) is not { } logo)
            {
                return Results.NotFound();
            }

            // The URL carries the logo's version, so a browser may keep it; it is the member's alone (private).
            http.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.File(logo.Content, logo.ContentType);
        }
        catch (DomainException)
        {
            return Results.NotFound();
        }
    }
}

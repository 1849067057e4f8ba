using Microsoft.AspNetCore.Http.HttpResults;
using MultiOrg.Domain.Branding;
using MultiOrg.Domain.Permissions;
using MultiOrg.Web.Doors.Api;

namespace MultiOrg.Web.Features.Branding;

public sealed record PrimaryColorRequest(string? PrimaryColor);

public sealed record InvitationTemplateRequest(string? Subject, string? Body);

/// <summary>An organization's logo, primary colour and invitation email template.</summary>
public static class BrandingApi
{
    public static void MapBrandingApi(this RouteGroupBuilder organization)
    {
        var branding = organization.MapGroup("/branding").WithTags("Branding");
        branding.MapGet("/", (Guid orgId, BrandingService service, CancellationToken ct) => service.GetAsync(ct)).RequirePermission(Permission.ViewOrganization)
            .WithSummary("Logo, primary colour and invitation email template");
        branding.MapPut("/color", async (Guid orgId, PrimaryColorRequest request, BrandingService service, CancellationToken ct) =>
        {
            await service.SetPrimaryColorAsync(request.PrimaryColor, ct);
            return TypedResults.NoContent();
        }).RequirePermission(Permission.EditOrganization)
            .WithSummary("Set the primary colour (hex, readable with white text)");
        branding.MapGet("/logo", GetLogoAsync).RequirePermission(Permission.ViewOrganization).WithSummary("The logo image (PNG or JPEG)")
            .Produces(StatusCodes.Status200OK, null, "image/png", "image/jpeg");
        branding.MapPut("/logo", SetLogoAsync)
            .RequirePermission(Permission.EditOrganization)
            .WithSummary("Upload the logo as the raw request body (PNG or JPEG, at most 512 KB, recognised by content)")
            .Accepts<byte[]>("image/png", "image/jpeg", "application/octet-stream");
        branding.MapDelete("/logo", async (Guid orgId, BrandingService service, CancellationToken ct) =>
        {
            await service.RemoveLogoAsync(ct);
            return TypedResults.NoContent();
        }).RequirePermission(Permission.EditOrganization)
            .WithSummary("Remove the logo");
        branding.MapPut("/invitation-template", async (Guid orgId, InvitationTemplateRequest request, BrandingService service, CancellationToken ct) =>
        {
            await service.SetInvitationTemplateAsync(request.Subject, request.Body, ct);
            return TypedResults.NoContent();
        }).RequirePermission(Permission.EditOrganization)
            .WithSummary("Set the invitation email's subject and body templates");
        branding.MapDelete("/invitation-template", async (Guid orgId, BrandingService service, CancellationToken ct) =>
        {
            await service.ResetInvitationTemplateAsync(ct);
            return TypedResults.NoContent();
        }).RequirePermission(Permission.EditOrganization)
            .WithSummary("Go back to the default invitation email");
        branding.MapPost("/invitation-template/preview", (Guid orgId, InvitationTemplateRequest request, BrandingService service, CancellationToken ct) =>
            service.PreviewInvitationAsync(request.Subject, request.Body, ct)).RequirePermission(Permission.ViewOrganization)
            .WithSummary("Preview an invitation email template; saves nothing");
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> GetLogoAsync(Guid orgId, BrandingService service, CancellationToken ct) =>
        await service.GetLogoAsync(ct) is { } logo ? TypedResults.File(logo.Content, logo.ContentType) : TypedResults.NotFound();

    private static async Task<NoContent> SetLogoAsync(Guid orgId, HttpRequest request, BrandingService service, CancellationToken ct)
    {
        // Read one byte past the limit, so an oversized upload is refused by the service with its message, not cut short.
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0 && buffer.Length <= OrganizationBranding.MaxLogoBytes)
        {
            buffer.Write(chunk, 0, read);
        }

        await service.SetLogoAsync(buffer.ToArray(), ct);
        return TypedResults.NoContent();
    }
}
